package io.flowmate.outreach.schedule;

import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.Recurrence;
import io.flowmate.core.schedule.Schedule;
import io.flowmate.core.schedule.ScheduleStatus;
import io.flowmate.core.schedule.ScheduleType;
import io.flowmate.messaging.Outbox;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

/**
 * A message sent once or on a recurrence to one chat or to the members of a custom group.
 *
 * @param chatId the target chat, or null when the target is a custom group
 * @param memberFilter only group members whose custom fields have these values, resolved at each
 *     occurrence
 * @param scheduledTime wall-clock time in {@code timezone}: the moment of a one_time schedule, the
 *     anchor of a recurring one (see {@link Recurrence})
 * @param messageContent the text (or media caption) with placeholders, see {@link MessageTemplate}
 * @param nextRunAt the occurrence the schedule's process waits for; set only while active
 * @param engineEpoch the engine state {@code processInstanceKey} lives in
 */
record ScheduledMessage(
    UUID id,
    TenantId tenantId,
    String name,
    UUID sessionId,
    String chatId,
    UUID customGroupId,
    Map<String, String> memberFilter,
    ScheduleType scheduleType,
    String cronExpression,
    LocalDateTime scheduledTime,
    String timezone,
    String messageType,
    String messageContent,
    String mediaUrl,
    ScheduleStatus status,
    Instant nextRunAt,
    Instant lastRunAt,
    int runCount,
    Long processInstanceKey,
    String engineEpoch,
    Instant createdAt,
    Instant updatedAt)
    implements Schedule<ScheduledMessage> {

  /** The messages' {@code source} and origin kind in the outbox. */
  static final String ORIGIN_KIND = "schedule";

  Outbox.Origin origin() {
    return new Outbox.Origin(ORIGIN_KIND, id);
  }

  @Override
  public ZoneId zone() {
    return ZoneId.of(timezone);
  }

  @Override
  public ScheduledMessage with(ScheduleStatus newStatus, Instant newNextRunAt) {
    return new ScheduledMessage(
        id,
        tenantId,
        name,
        sessionId,
        chatId,
        customGroupId,
        memberFilter,
        scheduleType,
        cronExpression,
        scheduledTime,
        timezone,
        messageType,
        messageContent,
        mediaUrl,
        newStatus,
        newNextRunAt,
        lastRunAt,
        runCount,
        processInstanceKey,
        engineEpoch,
        createdAt,
        updatedAt);
  }
}
