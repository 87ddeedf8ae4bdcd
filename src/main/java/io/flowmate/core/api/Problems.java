package io.flowmate.core.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes RFC 9457 problems from servlet filters, which run before Spring MVC's exception handling;
 * controllers throw {@link ApiException} instead.
 */
public final class Problems {

  private Problems() {}

  public static ProblemDetail problem(HttpStatus status, String detail, String instance) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(status.getReasonPhrase());
    if (instance != null) {
      problem.setInstance(URI.create(instance));
    }
    return problem;
  }

  public static void write(
      HttpServletResponse response,
      ObjectMapper objectMapper,
      HttpStatus status,
      String detail,
      String instance,
      Map<String, String> headers)
      throws IOException {
    response.setStatus(status.value());
    headers.forEach(response::setHeader);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    objectMapper.writeValue(response.getOutputStream(), problem(status, detail, instance));
  }
}
