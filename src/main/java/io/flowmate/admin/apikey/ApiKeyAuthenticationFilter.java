package io.flowmate.admin.apikey;

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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Authenticates every {@code /api/} request by its key, sent as {@code X-API-Key} or as {@code
 * Authorization: Bearer <key>}. Live event streams (handlers answering an {@link SseEmitter}) also
 * take {@code ?ticket=<stream ticket>}, because browsers' EventSource cannot send headers: a ticket
 * is single-use and short-lived, so a URL that lands in a proxy log gives nothing away. An API key
 * in a stream URL ({@code ?token=}, the old way) is refused, not ignored, so that clients learn it.
 * A missing, unknown, revoked or expired key or ticket gets 401 before any controller runs.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

  static final String API_KEY_HEADER = "X-API-Key";
  private static final String BEARER = "Bearer ";
  private static final String TICKET_PARAMETER = "ticket";
  private static final String TOKEN_PARAMETER = "token";

  private final ApiKeyService keys;
  private final ObjectMapper objectMapper;
  private final ObjectProvider<RequestMappingHandlerMapping> handlers;

  ApiKeyAuthenticationFilter(
      ApiKeyService keys,
      ObjectMapper objectMapper,
      @Qualifier("requestMappingHandlerMapping")
          ObjectProvider<RequestMappingHandlerMapping> handlers) {
    this.keys = keys;
    this.objectMapper = objectMapper;
    this.handlers = handlers;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // Only GET reads parameters: on a POST, getParameter would make the container parse a form body
    // before the caller is known.
    boolean get = "GET".equals(request.getMethod());
    String ticket = get ? request.getParameter(TICKET_PARAMETER) : null;
    boolean tokenInUrl = get && request.getParameter(TOKEN_PARAMETER) != null;
    boolean stream = (ticket != null || tokenInUrl) && isEventStream(request);
    if (stream && tokenInUrl) {
      reject(
          request,
          response,
          "API keys are not accepted in URLs: get a single-use ticket with POST /api/v2/stream-ticket"
              + " (key in the X-API-Key header) and open the stream with ?ticket=<ticket>");
      return;
    }
    Optional<AuthenticatedKey> authenticated;
    if (stream && !ticket.isBlank()) {
      authenticated = keys.authenticateTicket(ticket.trim());
      if (authenticated.isEmpty()) {
        reject(
            request,
            response,
            "The stream ticket is invalid, already used or expired: get a new one with"
                + " POST /api/v2/stream-ticket");
        return;
      }
    } else {
      Optional<String> presented = presentedKey(request);
      if (presented.isEmpty()) {
        reject(request, response, "An API key is required: send it in the X-API-Key header");
        return;
      }
      authenticated = keys.authenticate(presented.get());
      if (authenticated.isEmpty()) {
        reject(request, response, "The API key is invalid, revoked or expired");
        return;
      }
    }
    request.setAttribute(AuthenticatedKey.REQUEST_ATTRIBUTE, authenticated.get());
    request.setAttribute(Caller.REQUEST_ATTRIBUTE, authenticated.get().caller());
    chain.doFilter(request, response);
  }

  private Optional<String> presentedKey(HttpServletRequest request) {
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

  /** Whether the request goes to a live event stream: a handler method answering an SseEmitter. */
  private boolean isEventStream(HttpServletRequest request) {
    try {
      HandlerExecutionChain chain = handlers.getObject().getHandler(request);
      return chain != null
          && chain.getHandler() instanceof HandlerMethod method
          && SseEmitter.class.isAssignableFrom(method.getMethod().getReturnType());
    } catch (Exception e) {
      return false;
    }
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
