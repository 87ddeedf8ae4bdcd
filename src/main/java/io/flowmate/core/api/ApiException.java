package io.flowmate.core.api;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A client error with the status and the sentence that the RFC 9457 problem's {@code detail} will
 * carry. Services throw it; {@link ApiExceptionHandler} renders it. The factories name the cases
 * the API uses so that the same situation always gets the same status.
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final Map<String, String> headers;

  public ApiException(HttpStatus status, String detail) {
    this(status, detail, Map.of());
  }

  public ApiException(HttpStatus status, String detail, Map<String, String> headers) {
    super(detail);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  public HttpStatus status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** 404: the object does not exist for this tenant (other tenants' objects look the same). */
  public static ApiException notFound(String what, Object id) {
    return new ApiException(HttpStatus.NOT_FOUND, "%s '%s' not found".formatted(what, id));
  }

  /** 409: the request is valid but the object's current state does not allow it. */
  public static ApiException conflict(String detail) {
    return new ApiException(HttpStatus.CONFLICT, detail);
  }

  /** 422: the request is well-formed JSON but a value is invalid. */
  public static ApiException invalid(String detail) {
    return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, detail);
  }

  /** 403: authenticated, but a policy, permission or plan does not allow it. */
  public static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, detail);
  }
}
