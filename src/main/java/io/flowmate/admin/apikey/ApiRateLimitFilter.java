package io.flowmate.admin.apikey;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.admin.AdminSettings;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-tenant API rate limit from the plan's {@code api_requests_per_minute}: a token bucket that
 * refills continuously, so bursts up to the per-minute figure are fine and a steady excess gets 429
 * with {@code Retry-After}. Every response carries {@code X-RateLimit-Limit}, {@code
 * X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (epoch seconds when the bucket is full
 * again). This limits REST calls; WhatsApp send pacing is the messaging module's job.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class ApiRateLimitFilter extends OncePerRequestFilter {

  private final Map<TenantId, Bucket> buckets = new ConcurrentHashMap<>();
  private final ObjectMapper objectMapper;
  private final Clock clock;
  private final boolean enabled;

  ApiRateLimitFilter(ObjectMapper objectMapper, Clock clock, AdminSettings settings) {
    this.objectMapper = objectMapper;
    this.clock = clock;
    this.enabled = settings.apiRateLimitEnabled();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !enabled
        || !(request.getAttribute(AuthenticatedKey.REQUEST_ATTRIBUTE) instanceof AuthenticatedKey);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    AuthenticatedKey key =
        (AuthenticatedKey) request.getAttribute(AuthenticatedKey.REQUEST_ATTRIBUTE);
    int perMinute = key.apiRequestsPerMinute();
    Bucket bucket =
        buckets.compute(
            key.caller().tenantId(),
            (tenant, existing) ->
                existing == null || existing.capacity != perMinute
                    ? new Bucket(perMinute, clock.millis())
                    : existing);
    Bucket.Outcome outcome = bucket.take(clock.millis());
    long nowSeconds = clock.millis() / 1000;
    response.setHeader("X-RateLimit-Limit", Integer.toString(perMinute));
    response.setHeader("X-RateLimit-Remaining", Integer.toString(outcome.remaining()));
    response.setHeader("X-RateLimit-Reset", Long.toString(nowSeconds + outcome.secondsUntilFull()));
    if (!outcome.allowed()) {
      Problems.write(
          response,
          objectMapper,
          HttpStatus.TOO_MANY_REQUESTS,
          "Rate limit of %d requests per minute exceeded for this tenant's plan; retry in %d s"
              .formatted(perMinute, outcome.secondsUntilNext()),
          request.getRequestURI(),
          Map.of(HttpHeaders.RETRY_AFTER, Long.toString(outcome.secondsUntilNext())));
      return;
    }
    chain.doFilter(request, response);
  }

  /** A token bucket of {@code capacity} tokens refilled at {@code capacity} per minute. */
  static final class Bucket {
    private final int capacity;
    private double tokens;
    private long updatedAtMillis;

    Bucket(int capacity, long nowMillis) {
      this.capacity = capacity;
      this.tokens = capacity;
      this.updatedAtMillis = nowMillis;
    }

    record Outcome(boolean allowed, int remaining, long secondsUntilNext, long secondsUntilFull) {}

    synchronized Outcome take(long nowMillis) {
      double perMilli = capacity / 60_000.0;
      tokens = Math.min(capacity, tokens + (nowMillis - updatedAtMillis) * perMilli);
      updatedAtMillis = nowMillis;
      boolean allowed = tokens >= 1;
      if (allowed) {
        tokens -= 1;
      }
      long untilNext = allowed ? 0 : (long) Math.ceil((1 - tokens) / perMilli / 1000);
      long untilFull = (long) Math.ceil((capacity - tokens) / perMilli / 1000);
      return new Outcome(
          allowed, (int) Math.floor(tokens), Math.max(untilNext, allowed ? 0 : 1), untilFull);
    }
  }
}
