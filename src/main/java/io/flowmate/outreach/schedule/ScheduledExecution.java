package io.flowmate.outreach.schedule;

import java.time.Instant;
import java.util.UUID;

/**
 * What happened at one occurrence of a schedule.
 *
 * @param status {@code executed} (its messages were queued), {@code failed} (with the error) or
 *     {@code missed} (due while Flowmate was down, past the grace period)
 * @param recipients how many recipients the target had at that moment
 * @param queuedCount how many of them have a message in the outbox for it (members without a valid
 *     phone number have none)
 */
public record ScheduledExecution(
    UUID id,
    UUID scheduleId,
    Instant occurrence,
    String status,
    int recipients,
    int queuedCount,
    String error,
    Instant executedAt) {

  public static final String EXECUTED = "executed";
  public static final String FAILED = "failed";
  public static final String MISSED = "missed";
}
