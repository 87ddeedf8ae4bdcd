package io.flowmate.workflow;

import io.flowmate.core.api.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The engine could not be reached in time because it is being replaced; what was asked was not done
 * and may be tried again (process starts are retried by the reconciliation). An API client gets a
 * 503 with {@code Retry-After}.
 */
public class EngineUnavailableException extends ApiException {

  EngineUnavailableException(String detail) {
    super(HttpStatus.SERVICE_UNAVAILABLE, detail + "; retry shortly", Map.of("Retry-After", "5"));
  }
}
