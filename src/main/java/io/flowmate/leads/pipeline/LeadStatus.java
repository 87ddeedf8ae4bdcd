package io.flowmate.leads.pipeline;

import io.flowmate.core.api.ApiException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A lead's place in the pipeline (reference API §2.1). Which moves are allowed is not coded here:
 * {@link LeadStatusTransitions} asks the DMN decision.
 */
public enum LeadStatus {
  NEW,
  CONTACTED,
  QUALIFIED,
  CONVERTED,
  LOST;

  public String value() {
    return name().toLowerCase();
  }

  public static LeadStatus of(String value) {
    return valueOf(value.toUpperCase());
  }

  /** A status as a client wrote it: 422 with the allowed values if it is none. */
  public static LeadStatus parse(String value) {
    for (LeadStatus status : values()) {
      if (status.value().equals(value)) {
        return status;
      }
    }
    throw ApiException.invalid(
        "status must be one of %s; not '%s'"
            .formatted(
                Arrays.stream(values()).map(LeadStatus::value).collect(Collectors.joining(", ")),
                value));
  }
}
