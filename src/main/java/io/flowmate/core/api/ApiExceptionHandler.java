package io.flowmate.core.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.flowmate.core.InvalidValueException;
import io.flowmate.core.LogSafe;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into an RFC 9457 problem whose {@code detail} tells the client what to fix.
 * Bad input is always a 4xx: malformed JSON 400; wrong types, unknown enum values, failed
 * validation and malformed ids 422; an unexpected server fault is a 500 that carries a reference
 * for the log but never a stack trace.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> apiException(ApiException e, HttpServletRequest request) {
    HttpHeaders headers = new HttpHeaders();
    e.headers().forEach(headers::add);
    return problem(e.status(), e.getMessage(), request, headers);
  }

  @ExceptionHandler(IllegalTransitionException.class)
  ResponseEntity<ProblemDetail> illegalTransition(
      IllegalTransitionException e, HttpServletRequest request) {
    return problem(HttpStatus.CONFLICT, e.getMessage(), request, null);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    String expected = describe(e.getRequiredType());
    return problem(
        HttpStatus.UNPROCESSABLE_ENTITY,
        "%s '%s' is not valid: expected %s"
            .formatted(snakeCase(e.getName()), e.getValue(), expected),
        request,
        null);
  }

  @ExceptionHandler(InvalidValueException.class)
  ResponseEntity<ProblemDetail> invalidValue(InvalidValueException e, HttpServletRequest request) {
    // Value objects (ChatId, scopes, ...) reject bad input with a sentence meant for the client.
    return problem(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage(), request, null);
  }

  @ExceptionHandler(BodyTooLargeException.class)
  ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException e, HttpServletRequest request) {
    return problem(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage(), request, null);
  }

  @ExceptionHandler(DuplicateKeyException.class)
  ResponseEntity<ProblemDetail> duplicateKey(DuplicateKeyException e, HttpServletRequest request) {
    // A concurrent request wrote the same thing first. Neither the detail nor the log carries the
    // driver's message: it names tables and repeats the key's values (names, phone numbers).
    log.debug("Duplicate key on {} {}", request.getMethod(), request.getRequestURI());
    return problem(
        HttpStatus.CONFLICT,
        "This already exists: a concurrent request created it first; reload it and retry if needed",
        request,
        null);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    String reference = UUID.randomUUID().toString();
    log.error(
        "Unexpected error on {} {} (reference {})",
        LogSafe.text(request.getMethod()),
        LogSafe.text(request.getRequestURI()),
        reference,
        e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "Internal error; the server log has the details under reference " + reference,
        request,
        null);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Throwable cause = e.getCause();
    HttpStatus resultStatus = HttpStatus.UNPROCESSABLE_ENTITY;
    String detail;
    Throwable tooLarge = findCause(e, BodyTooLargeException.class);
    if (tooLarge != null) {
      resultStatus = HttpStatus.PAYLOAD_TOO_LARGE;
      detail = tooLarge.getMessage();
    } else if (cause instanceof JsonParseException parse) {
      resultStatus = HttpStatus.BAD_REQUEST;
      detail =
          "Malformed JSON at line %d, column %d: %s"
              .formatted(
                  parse.getLocation().getLineNr(),
                  parse.getLocation().getColumnNr(),
                  parse.getOriginalMessage());
    } else if (cause instanceof ValueInstantiationException instantiation
        && instantiation.getCause() instanceof InvalidValueException invalid) {
      detail = invalid.getMessage();
    } else if (cause instanceof InvalidFormatException format) {
      detail =
          "Field '%s' has an invalid value '%s': expected %s"
              .formatted(path(format), format.getValue(), describe(format.getTargetType()));
    } else if (cause instanceof MismatchedInputException mismatch
        && !mismatch.getPath().isEmpty()) {
      detail =
          "Field '%s' has the wrong type: expected %s"
              .formatted(path(mismatch), describe(mismatch.getTargetType()));
    } else if (cause instanceof JsonMappingException mapping
        && mapping.getCause() instanceof InvalidValueException invalid) {
      detail = invalid.getMessage();
    } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body")) {
      resultStatus = HttpStatus.BAD_REQUEST;
      detail = "The request body is missing; send a JSON object";
    } else {
      resultStatus = HttpStatus.BAD_REQUEST;
      detail = "The request body could not be read as JSON";
    }
    return cast(problem(resultStatus, detail, request));
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String detail =
        e.getBindingResult().getFieldErrors().stream()
            .map(ApiExceptionHandler::describe)
            .collect(Collectors.joining("; "));
    if (detail.isEmpty()) {
      detail = e.getBindingResult().getAllErrors().getFirst().getDefaultMessage();
    }
    return cast(problem(HttpStatus.UNPROCESSABLE_ENTITY, detail, request));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String detail =
        e.getParameterValidationResults().stream()
            .flatMap(result ->
                result.getResolvableErrors().stream()
                    .map(error ->
                        snakeCase(
                                Objects.requireNonNullElse(
                                    result.getMethodParameter().getParameterName(), "parameter"))
                            + " "
                            + error.getDefaultMessage()))
            .collect(Collectors.joining("; "));
    return cast(problem(HttpStatus.UNPROCESSABLE_ENTITY, detail, request));
  }

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(
      MissingServletRequestParameterException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return cast(
        problem(
            HttpStatus.UNPROCESSABLE_ENTITY,
            "Query parameter '%s' is required".formatted(e.getParameterName()),
            request));
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
      MaxUploadSizeExceededException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return cast(problem(HttpStatus.PAYLOAD_TOO_LARGE, "The uploaded file is too large", request));
  }

  @Override
  protected ResponseEntity<Object> handleServletRequestBindingException(
      org.springframework.web.bind.ServletRequestBindingException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (e instanceof MissingRequestHeaderException missing) {
      return cast(
          problem(
              HttpStatus.BAD_REQUEST,
              "Header '%s' is required".formatted(missing.getHeaderName()),
              request));
    }
    return super.handleServletRequestBindingException(e, headers, status, request);
  }

  private ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String detail, WebRequest request) {
    String path = request.getDescription(false).replaceFirst("^uri=", "");
    return ResponseEntity.status(status).body(Problems.problem(status, detail, path));
  }

  private ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String detail, HttpServletRequest request, HttpHeaders headers) {
    return ResponseEntity.status(status)
        .headers(headers)
        .body(Problems.problem(status, detail, request.getRequestURI()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> response) {
    return (ResponseEntity) response;
  }

  private static String describe(FieldError error) {
    return "%s %s".formatted(snakeCase(error.getField()), error.getDefaultMessage());
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(reference ->
            reference.getFieldName() != null
                ? reference.getFieldName()
                : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static Throwable findCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
    }
    return null;
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(constant -> constant.toString().toLowerCase())
              .collect(Collectors.joining(", "));
    }
    if (type == UUID.class) {
      return "a UUID";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      return "an ISO-8601 date-time";
    }
    return "a JSON object";
  }

  static String snakeCase(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }
}
