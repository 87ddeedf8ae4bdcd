package io.flowmate.core.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A row that runs on a schedule (a scheduled message, a scheduled report), as {@link
 * ScheduleLifecycle} moves it and {@link OccurrencePlanner} plans it.
 *
 * @param <T> the row's own type
 */
public interface Schedule<T extends Schedule<T>> extends OccurrencePlanner.Scheduled {

  UUID id();

  ScheduleType scheduleType();

  LocalDateTime scheduledTime();

  String cronExpression();

  ZoneId zone();

  /** This row in another status, waiting for {@code nextRunAt} (null unless active). */
  T with(ScheduleStatus status, Instant nextRunAt);

  /** What the API's timing fields say, for an edit to patch. */
  default ScheduleTiming timing() {
    return new ScheduleTiming(scheduleType(), zone(), scheduledTime(), cronExpression());
  }

  @Override
  default Recurrence recurrence() {
    return Recurrence.of(scheduleType(), zone(), scheduledTime(), cronExpression());
  }
}
