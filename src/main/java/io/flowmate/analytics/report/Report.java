package io.flowmate.analytics.report;

import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.Recurrence;
import io.flowmate.core.schedule.Schedule;
import io.flowmate.core.schedule.ScheduleStatus;
import io.flowmate.core.schedule.ScheduleType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A report generated from a template once or on a recurrence, kept on the dashboard and optionally
 * sent to a WhatsApp chat or group.
 *
 * @param scheduledTime wall-clock time in {@code timezone}: the moment of a one_time report, the
 *     anchor of a recurring one (see {@link Recurrence})
 * @param deliverySessionId the number that sends it, for {@code whatsapp} delivery
 * @param deliveryChatId the contact or group it goes to, for {@code whatsapp} delivery
 * @param nextRunAt the occurrence the report's process waits for; set only while active
 * @param lastRunAt the latest scheduled occurrence that was generated
 * @param engineEpoch the engine state {@code processInstanceKey} lives in
 */
record Report(
    UUID id,
    TenantId tenantId,
    String name,
    ReportTemplate template,
    ScheduleType scheduleType,
    String cronExpression,
    LocalDateTime scheduledTime,
    String timezone,
    Delivery delivery,
    ScheduleStatus status,
    Instant nextRunAt,
    Instant lastRunAt,
    int runCount,
    Long processInstanceKey,
    String engineEpoch,
    Instant createdAt,
    Instant updatedAt)
    implements Schedule<Report> {

  /**
   * Where a report goes: the dashboard only, or also a WhatsApp chat through one of the numbers.
   */
  record Delivery(String method, UUID sessionId, String chatId) {

    static final String DASHBOARD = "dashboard";
    static final String WHATSAPP = "whatsapp";

    static Delivery dashboard() {
      return new Delivery(DASHBOARD, null, null);
    }

    boolean isWhatsApp() {
      return WHATSAPP.equals(method);
    }
  }

  @Override
  public ZoneId zone() {
    return ZoneId.of(timezone);
  }

  @Override
  public Report with(ScheduleStatus newStatus, Instant newNextRunAt) {
    return new Report(
        id,
        tenantId,
        name,
        template,
        scheduleType,
        cronExpression,
        scheduledTime,
        timezone,
        delivery,
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
