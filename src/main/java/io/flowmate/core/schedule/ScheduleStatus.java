package io.flowmate.core.schedule;

import io.flowmate.core.api.ApiException;
import java.util.Locale;

/**
 * Where a schedule (a scheduled message, a scheduled report) stands: {@code active} ⇄ {@code
 * paused}, then {@code cancelled} (by the API, see {@link ScheduleLifecycle}) or {@code completed}
 * (a one-time schedule after its run). Only an active schedule has a next run.
 */
public enum ScheduleStatus {
  ACTIVE,
  PAUSED,
  CANCELLED,
  COMPLETED;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ScheduleStatus of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** A status as a client wrote it in a filter: 422 with the allowed values if it is none. */
  public static ScheduleStatus parse(String value) {
    for (ScheduleStatus status : values()) {
      if (status.value().equals(value)) {
        return status;
      }
    }
    throw ApiException.invalid(
        "status must be one of active, paused, cancelled, completed; not '%s'".formatted(value));
  }

  public boolean isFinished() {
    return this == CANCELLED || this == COMPLETED;
  }
}
