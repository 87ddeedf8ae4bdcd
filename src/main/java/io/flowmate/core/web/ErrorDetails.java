package io.flowmate.core.web;

import org.springframework.http.HttpStatus;

/**
 * The {@code detail} of problems for errors no controller explained: Tomcat's own refusals and
 * statuses set by {@code sendError}. Fixed sentences per status, never Tomcat's message or the
 * request's text, so nothing the client sent is echoed back.
 */
final class ErrorDetails {

  private ErrorDetails() {}

  static HttpStatus status(int code) {
    HttpStatus status = HttpStatus.resolve(code);
    return status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
  }

  static String detail(HttpStatus status) {
    return switch (status) {
      case BAD_REQUEST ->
          "The request is malformed: its path or a header has characters or encodings that are not"
              + " allowed (such as an encoded slash, a NUL or a space in the path, or an invalid"
              + " Host header)";
      case NOT_FOUND -> "There is nothing at this path; the API is under /api/v2";
      case METHOD_NOT_ALLOWED -> "This method is not allowed at this path";
      case REQUEST_TIMEOUT -> "The request was not received in time";
      case PAYLOAD_TOO_LARGE -> "The request body is larger than the limit the server accepts";
      case URI_TOO_LONG -> "The request path is longer than the server accepts";
      case REQUEST_HEADER_FIELDS_TOO_LARGE ->
          "The request headers are larger than the server accepts";
      case NOT_IMPLEMENTED, HTTP_VERSION_NOT_SUPPORTED ->
          "The server does not support this kind of request (" + status.getReasonPhrase() + ")";
      default ->
          status.is5xxServerError()
              ? "Internal error; the server log has the details"
              : "The request was refused: " + status.getReasonPhrase();
    };
  }
}
