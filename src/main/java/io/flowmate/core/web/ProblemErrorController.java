package io.flowmate.core.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.api.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Renders what reaches the servlet error page ({@code sendError} from a filter or Tomcat, an
 * exception escaping the filters) as an RFC 9457 problem, whatever the client accepts: it replaces
 * Spring Boot's error controller, which answers plain JSON or a whitelabel HTML page.
 */
@Controller
class ProblemErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  private final ObjectMapper objectMapper;

  ProblemErrorController(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
  }

  @RequestMapping("${server.error.path:${error.path:/error}}")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    // Asked for directly, the error page is just another path that does not exist.
    HttpStatus status =
        code instanceof Integer value ? ErrorDetails.status(value) : HttpStatus.NOT_FOUND;
    String detail = ErrorDetails.detail(status);
    Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    if (status.is5xxServerError() && failure instanceof Throwable throwable) {
      String reference = UUID.randomUUID().toString();
      log.error("Unexpected error outside the controllers (reference {})", reference, throwable);
      detail = "Internal error; the server log has the details under reference " + reference;
    }
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    Problems.write(
        response,
        objectMapper,
        status,
        detail,
        uri instanceof String path && isPlainPath(path) ? path : null,
        Map.of());
  }

  /** Only paths that are safe to echo as the problem's {@code instance}. */
  private static boolean isPlainPath(String path) {
    return path.matches("[A-Za-z0-9/._~%-]*") && path.length() <= 2048;
  }
}
