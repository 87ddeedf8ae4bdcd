package io.flowmate.core.schedule;

import io.flowmate.core.InvalidValueException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How often a scheduled message is sent: once, or recurring daily, weekly, monthly or by cron. */
public enum ScheduleType {
  ONE_TIME,
  DAILY,
  WEEKLY,
  MONTHLY,
  CRON;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isRecurring() {
    return this != ONE_TIME;
  }

  /**
   * A type as a client wrote it. Besides the five values, {@code once} (the reference's root
   * samples) means {@code one_time}.
   *
   * @throws InvalidValueException naming the allowed values
   */
  public static ScheduleType parse(String field, String value) {
    String normalised = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (normalised.equals("once")) {
      return ONE_TIME;
    }
    for (ScheduleType type : values()) {
      if (type.value().equals(normalised)) {
        return type;
      }
    }
    throw new InvalidValueException(
        "%s must be one of %s; not '%s'"
            .formatted(
                field,
                Arrays.stream(values()).map(ScheduleType::value).collect(Collectors.joining(", ")),
                value));
  }
}
