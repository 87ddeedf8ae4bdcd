package io.flowmate.outreach.schedule;

import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.schedule.ScheduleStatus;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.messaging.Outbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * MoltFlow-compatible scheduled messages: one-time or recurring sends to a chat or a custom group,
 * in an IANA time zone, run by {@code outreach-scheduled-message}.
 */
@RestController
@RequestMapping("/api/v2/scheduled-messages")
@Tag(name = "Scheduled messages", description = "One-time and recurring messages in a time zone")
class ScheduledMessageController {

  private static final int HISTORY_IN_DETAIL = 10;

  private final ScheduledMessages schedules;
  private final Outbox outbox;

  ScheduledMessageController(ScheduledMessages schedules, Outbox outbox) {
    this.schedules = schedules;
    this.outbox = outbox;
  }

  /**
   * The reference's module shape ({@code schedule_type}, {@code message_content}, {@code
   * custom_group_id}) or its root samples' shape ({@code recurrence}, {@code message}, {@code
   * chat_id}).
   *
   * @param filter only custom-group members whose fields have these values, e.g. {"unpaid": "yes"}
   */
  record CreateRequest(
      String name,
      UUID sessionId,
      String chatId,
      UUID customGroupId,
      Map<String, String> filter,
      String scheduleType,
      String recurrence,
      String messageType,
      String messageContent,
      String message,
      String mediaUrl,
      String scheduledTime,
      String cronExpression,
      String timezone) {}

  record UpdateRequest(
      String name,
      String messageContent,
      String message,
      String scheduledTime,
      String cronExpression,
      String timezone) {}

  /**
   * @param scheduledTime the wall-clock time with the zone's offset at that date
   * @param messageCounts the schedule's messages in the outbox by status (detail view only)
   * @param history the latest occurrences (detail view only; all of them: /history)
   */
  record ScheduleView(
      UUID id,
      String name,
      String status,
      String scheduleType,
      String cronExpression,
      String scheduledTime,
      String timezone,
      Instant nextRunAt,
      Instant lastRunAt,
      int runCount,
      UUID sessionId,
      String chatId,
      UUID customGroupId,
      Map<String, String> filter,
      String messageType,
      String messageContent,
      String mediaUrl,
      Long processInstanceKey,
      Instant createdAt,
      Instant updatedAt,
      Map<String, Long> messageCounts,
      List<ExecutionView> history) {}

  record ExecutionView(
      UUID id,
      Instant occurrence,
      String status,
      int recipients,
      int queuedCount,
      String error,
      Instant executedAt) {

    static ExecutionView of(ScheduledExecution e) {
      return new ExecutionView(
          e.id(),
          e.occurrence(),
          e.status(),
          e.recipients(),
          e.queuedCount(),
          e.error(),
          e.executedAt());
    }
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.SCHEDULED_MANAGE)
  @Operation(
      summary = "Schedule a one-time or recurring message to a chat or a custom group",
      description =
          "schedule_type one_time (scheduled_time), daily | weekly | monthly (cron_expression, or the time,"
              + " weekday or day of month of scheduled_time), cron (cron_expression: 5 fields, at least 5"
              + " minutes apart). timezone: IANA, default UTC; scheduled_time without an offset is wall-clock"
              + " time there. Personalisation: {name}, {first_name}, {<custom field>}. Not on the Free plan.")
  ScheduleView create(Caller caller, @RequestBody CreateRequest request) {
    ScheduledMessage created =
        schedules.create(
            caller.tenantId(),
            new ScheduledMessages.Draft(
                request.name(),
                request.sessionId(),
                request.chatId(),
                request.customGroupId(),
                request.filter(),
                request.scheduleType() != null ? request.scheduleType() : request.recurrence(),
                request.messageType(),
                request.messageContent() != null ? request.messageContent() : request.message(),
                request.mediaUrl(),
                request.scheduledTime(),
                request.cronExpression(),
                request.timezone()));
    return view(created, null, null);
  }

  @GetMapping
  @RequiresScope(Scopes.SCHEDULED_READ)
  @Operation(summary = "List schedules, newest first; filter by status")
  Page<ScheduleView> list(
      Caller caller,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return schedules
        .list(
            caller.tenantId(),
            status == null ? null : ScheduleStatus.parse(status),
            PageQuery.of(limit, offset))
        .map(s -> view(s, null, null));
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.SCHEDULED_READ)
  @Operation(summary = "A schedule with its latest runs and its messages counted by status")
  ScheduleView get(Caller caller, @PathVariable UUID id) {
    ScheduledMessage schedule = schedules.get(caller.tenantId(), id);
    List<ExecutionView> history =
        schedules
            .history(caller.tenantId(), id, PageQuery.of(HISTORY_IN_DETAIL, 0))
            .items()
            .stream()
            .map(ExecutionView::of)
            .toList();
    return view(schedule, outbox.countByStatus(schedule.origin()), history);
  }

  @PatchMapping("/{id}")
  @RequiresScope(Scopes.SCHEDULED_MANAGE)
  @Operation(
      summary =
          "Edit name, message_content, scheduled_time, cron_expression or timezone; the next run is recomputed")
  ScheduleView update(Caller caller, @PathVariable UUID id, @RequestBody UpdateRequest request) {
    return view(
        schedules.update(
            caller.tenantId(),
            id,
            new ScheduledMessages.Changes(
                request.name(),
                request.messageContent() != null ? request.messageContent() : request.message(),
                request.scheduledTime(),
                request.cronExpression(),
                request.timezone())),
        null,
        null);
  }

  @PostMapping("/{id}/pause")
  @RequiresScope(Scopes.SCHEDULED_MANAGE)
  @Operation(summary = "Pause an active schedule (its waiting messages are held)")
  ScheduleView pause(Caller caller, @PathVariable UUID id) {
    return view(schedules.pause(caller.tenantId(), id), null, null);
  }

  @PostMapping("/{id}/resume")
  @RequiresScope(Scopes.SCHEDULED_MANAGE)
  @Operation(summary = "Resume a paused schedule from its next occurrence")
  ScheduleView resume(Caller caller, @PathVariable UUID id) {
    return view(schedules.resume(caller.tenantId(), id), null, null);
  }

  @PostMapping("/{id}/cancel")
  @RequiresScope(Scopes.SCHEDULED_MANAGE)
  @Operation(summary = "Cancel a schedule for good (its waiting messages are cancelled)")
  ScheduleView cancel(Caller caller, @PathVariable UUID id) {
    return view(schedules.cancel(caller.tenantId(), id), null, null);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.SCHEDULED_MANAGE)
  @Operation(summary = "Delete a cancelled or completed schedule and its history (else 409)")
  void delete(Caller caller, @PathVariable UUID id) {
    schedules.delete(caller.tenantId(), id);
  }

  @GetMapping("/{id}/history")
  @RequiresScope(Scopes.SCHEDULED_READ)
  @Operation(summary = "Runs of a schedule, newest first: executed, failed or missed")
  Page<ExecutionView> history(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return schedules
        .history(caller.tenantId(), id, PageQuery.of(limit, offset))
        .map(ExecutionView::of);
  }

  private static ScheduleView view(
      ScheduledMessage s, Map<String, Long> messageCounts, List<ExecutionView> history) {
    return new ScheduleView(
        s.id(),
        s.name(),
        s.status().value(),
        s.scheduleType().value(),
        s.cronExpression(),
        s.scheduledTime() == null
            ? null
            : s.scheduledTime().atZone(s.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        s.timezone(),
        s.nextRunAt(),
        s.lastRunAt(),
        s.runCount(),
        s.sessionId(),
        s.chatId(),
        s.customGroupId(),
        s.memberFilter(),
        s.messageType(),
        s.messageContent(),
        s.mediaUrl(),
        s.processInstanceKey(),
        s.createdAt(),
        s.updatedAt(),
        messageCounts,
        history);
  }
}
