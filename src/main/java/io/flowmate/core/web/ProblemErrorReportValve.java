package io.flowmate.core.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.api.Problems;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report as an RFC 9457 problem instead of its HTML page. Tomcat answers some
 * requests itself before any filter runs (an encoded slash or NUL in the path, characters not
 * allowed in the request target, an invalid Host header); this valve renders those answers.
 */
class ProblemErrorReportValve extends ErrorReportValve {

  private final ObjectMapper objectMapper;

  ProblemErrorReportValve(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    // The same guards as Tomcat's own report: only errors, only once, only if nothing was written.
    if (response.getStatus() < 400
        || response.getContentWritten() > 0
        || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus status = ErrorDetails.status(response.getStatus());
    try {
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding("utf-8");
      // No instance: the path is what Tomcat could not accept, and is not echoed back.
      String body =
          objectMapper.writeValueAsString(
              Problems.problem(status, ErrorDetails.detail(status), null));
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(body);
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response cannot take a body any more: nothing left to tell it
    }
  }
}
