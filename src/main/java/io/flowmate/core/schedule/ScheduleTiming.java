package io.flowmate.core.schedule;

import io.flowmate.core.api.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * When a schedule fires, as the API's timing fields set it ({@code schedule_type}, {@code
 * scheduled_time}, {@code cron_expression}, {@code timezone}): parsed on create, patched on edit,
 * the same way for every kind of schedule.
 *
 * @param scheduledTime wall-clock time in {@code zone}, or null
 * @param cronExpression stripped, or null
 */
public record ScheduleTiming(
    ScheduleType type, ZoneId zone, LocalDateTime scheduledTime, String cronExpression) {

  /**
   * The timing a create request asks for.
   *
   * @param typeRequired the 422's detail when {@code schedule_type} is missing
   * @throws io.flowmate.core.InvalidValueException for a value that is not valid (a 422)
   */
  public static ScheduleTiming parse(
      String scheduleType,
      String scheduledTime,
      String cronExpression,
      String timezone,
      String typeRequired) {
    if (scheduleType == null || scheduleType.isBlank()) {
      throw ApiException.invalid(typeRequired);
    }
    ScheduleType type = ScheduleType.parse("schedule_type", scheduleType);
    ZoneId zone = Recurrence.zone(timezone);
    return new ScheduleTiming(
        type, zone, Recurrence.wallClock(scheduledTime, zone), cron(cronExpression));
  }

  /**
   * This timing with an edit applied: null fields stay as they are, a blank {@code cronExpression}
   * removes it, and a schedule made one-time leaves its cron expression behind. A new {@code
   * scheduledTime} is read in the new zone if the edit names one.
   */
  public ScheduleTiming patch(
      String scheduleType, String scheduledTime, String cronExpression, String timezone) {
    ScheduleType newType =
        scheduleType == null ? type : ScheduleType.parse("schedule_type", scheduleType);
    ZoneId newZone = timezone == null ? zone : Recurrence.zone(timezone);
    LocalDateTime newTime =
        scheduledTime == null ? this.scheduledTime : Recurrence.wallClock(scheduledTime, newZone);
    String cron =
        cronExpression != null
            ? cron(cronExpression)
            : newType == ScheduleType.ONE_TIME ? null : this.cronExpression;
    return new ScheduleTiming(newType, newZone, newTime, cron);
  }

  /**
   * The rule, validated and held to {@code minimumInterval} (frequent automated sends get a number
   * banned).
   */
  public Recurrence recurrence(Duration minimumInterval, Instant now) {
    Recurrence recurrence = Recurrence.of(type, zone, scheduledTime, cronExpression);
    recurrence.requireInterval(minimumInterval, now);
    return recurrence;
  }

  private static String cron(String raw) {
    return raw == null || raw.isBlank() ? null : raw.strip();
  }
}
