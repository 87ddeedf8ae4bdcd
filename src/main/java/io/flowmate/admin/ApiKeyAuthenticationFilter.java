package io.flowmate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.api.Problems;
import io.flowmate.core.security.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every {@code /api/} request by its key, sent as {@code X-API-Key} or as {@code
 * Authorization: Bearer <key>} (live event streams also take {@code ?token=<key>}). A missing,
 * unknown, revoked or expired key gets 401 before any controller runs.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

  static final String API_KEY_HEADER = "X-API-Key";
  private static final String BEARER = "Bearer ";

  private final ApiKeyService keys;
  private final ObjectMapper objectMapper;

  ApiKeyAuthenticationFilter(ApiKeyService keys, ObjectMapper objectMapper) {
    this.keys = keys;
    this.objectMapper = objectMapper;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> presented = presentedKey(request);
    if (presented.isEmpty()) {
      reject(request, response, "An API key is required: send it in the X-API-Key header");
      return;
    }
    Optional<AuthenticatedKey> authenticated = keys.authenticate(presented.get());
    if (authenticated.isEmpty()) {
      reject(request, response, "The API key is invalid, revoked or expired");
      return;
    }
    request.setAttribute(AuthenticatedKey.REQUEST_ATTRIBUTE, authenticated.get());
    request.setAttribute(Caller.REQUEST_ATTRIBUTE, authenticated.get().caller());
    chain.doFilter(request, response);
  }

  private static Optional<String> presentedKey(HttpServletRequest request) {
    // Browsers' EventSource cannot send headers; live streams accept the key as ?token= instead.
    String token = request.getParameter("token");
    if (token != null
        && !token.isBlank()
        && "GET".equals(request.getMethod())
        && (request.getRequestURI().endsWith("/events") || request.getRequestURI().endsWith("/progress"))) {
      return Optional.of(token.trim());
    }
    String header = request.getHeader(API_KEY_HEADER);
    if (header != null && !header.isBlank()) {
      return Optional.of(header.trim());
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.of(authorization.substring(BEARER.length()).trim());
    }
    return Optional.empty();
  }

  private void reject(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    Problems.write(
        response,
        objectMapper,
        HttpStatus.UNAUTHORIZED,
        detail,
        request.getRequestURI(),
        Map.of(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"X-API-Key\""));
  }
}
