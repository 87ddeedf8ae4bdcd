package io.flowmate.core.security;

import io.flowmate.core.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link RequiresScope}: 401 when no key authenticated the request, 403 with the missing
 * scopes in {@code X-Required-Scopes} (as the reference API does) when the key lacks one.
 */
class ScopeInterceptor implements HandlerInterceptor {

  static final String REQUIRED_SCOPES_HEADER = "X-Required-Scopes";

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    RequiresScope requirement = method.getMethodAnnotation(RequiresScope.class);
    if (requirement == null) {
      return true;
    }
    if (!(request.getAttribute(Caller.REQUEST_ATTRIBUTE) instanceof Caller caller)) {
      throw new ApiException(
          HttpStatus.UNAUTHORIZED, "An API key is required: send it in the X-API-Key header");
    }
    List<String> missing =
        Arrays.stream(requirement.value()).filter(scope -> !caller.has(scope)).toList();
    if (!missing.isEmpty()) {
      String required = String.join(",", missing);
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "This API key lacks the scope(s) %s needed for this operation".formatted(required),
          Map.of(REQUIRED_SCOPES_HEADER, required));
    }
    return true;
  }
}
