package io.flowmate.outreach.schedule;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.net.OutboundUrls;
import io.flowmate.core.schedule.Recurrence;
import io.flowmate.core.schedule.ScheduleLifecycle;
import io.flowmate.core.schedule.ScheduleStatus;
import io.flowmate.core.schedule.ScheduleTiming;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Outbox;
import io.flowmate.outreach.OutreachSettings;
import io.flowmate.outreach.audience.Audience;
import io.flowmate.outreach.audience.MessageTemplate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scheduled messages through the API: created with their next run and handed to their {@code
 * outreach-scheduled-message} instance; edited, paused, resumed and cancelled in PostgreSQL (the
 * source of truth), after which the instance is told to read the schedule again.
 */
@Service
class ScheduledMessages {

  static final int MAX_TEXT_LENGTH = 4096;
  static final int MAX_NAME_LENGTH = 255;
  static final String DEFAULT_NAME = "Scheduled message";

  private final ScheduledMessageRepository schedules;
  private final Audience audience;
  private final Sessions sessions;
  private final Tenants tenants;
  private final Outbox outbox;
  private final ScheduledMessageProcessStarter starter;
  private final OutreachSettings.Schedules settings;
  private final Clock clock;
  private final OutboundUrls urls;
  private final ScheduleLifecycle<ScheduledMessage> lifecycle;

  ScheduledMessages(
      ScheduledMessageRepository schedules,
      Audience audience,
      Sessions sessions,
      Tenants tenants,
      Outbox outbox,
      ScheduledMessageProcessStarter starter,
      OutreachSettings settings,
      TransactionTemplate transaction,
      Clock clock,
      OutboundUrls urls) {
    this.schedules = schedules;
    this.audience = audience;
    this.sessions = sessions;
    this.tenants = tenants;
    this.outbox = outbox;
    this.starter = starter;
    this.settings = settings.schedules();
    this.clock = clock;
    this.urls = urls;
    this.lifecycle =
        new ScheduleLifecycle<>(
            "Scheduled message",
            "schedule",
            ScheduleLifecycle.Rows.of(schedules::find, schedules::lock, schedules::update),
            starter::signalChanged,
            this.settings.minimumInterval(),
            transaction,
            clock);
  }

  /**
   * A schedule as the API asked for it.
   *
   * @param scheduleType {@code one_time}, {@code daily}, {@code weekly}, {@code monthly} or {@code
   *     cron}
   * @param scheduledTime ISO 8601; without an offset it is wall-clock time in {@code timezone}
   */
  record Draft(
      String name,
      UUID sessionId,
      String chatId,
      UUID customGroupId,
      Map<String, String> filter,
      String scheduleType,
      String messageType,
      String messageContent,
      String mediaUrl,
      String scheduledTime,
      String cronExpression,
      String timezone) {}

  /** An edit: null fields stay as they are; a blank {@code cronExpression} removes it. */
  record Changes(
      String name,
      String messageContent,
      String scheduledTime,
      String cronExpression,
      String timezone) {}

  ScheduledMessage create(TenantId tenant, Draft draft) {
    PlanLimits limits = tenants.limits(tenant);
    if (!limits.scheduledMessagesEnabled()) {
      throw ApiException.forbidden(
          "Scheduled messages are not included in the %s plan; upgrade to Starter or higher"
              .formatted(limits.displayName()));
    }
    ScheduledMessage schedule = validated(tenant, draft);
    sessions.get(tenant, SessionId.of(schedule.sessionId()));
    if (schedule.customGroupId() != null
        && !audience.groupExists(tenant, schedule.customGroupId())) {
      throw ApiException.notFound("Custom group", schedule.customGroupId());
    }
    schedules.insert(schedule);
    starter.startFor(schedule);
    return get(tenant, schedule.id());
  }

  ScheduledMessage get(TenantId tenant, UUID id) {
    return lifecycle.get(tenant, id);
  }

  Page<ScheduledMessage> list(TenantId tenant, ScheduleStatus status, PageQuery page) {
    return Page.of(schedules.list(tenant, status, page), schedules.count(tenant, status), page);
  }

  Page<ScheduledExecution> history(TenantId tenant, UUID id, PageQuery page) {
    return lifecycle.history(tenant, id, page, schedules::history, schedules::countHistory);
  }

  /** Applies an edit; an active schedule's next run is recomputed and its instance re-timed. */
  ScheduledMessage update(TenantId tenant, UUID id, Changes changes) {
    return lifecycle.edit(
        tenant,
        id,
        schedule -> {
          String name = changes.name() == null ? schedule.name() : name(changes.name());
          String content =
              changes.messageContent() == null
                  ? schedule.messageContent()
                  : changes.messageContent();
          requireContent(schedule.messageType(), content, schedule.mediaUrl());
          ScheduleTiming timing =
              schedule
                  .timing()
                  .patch(
                      null, changes.scheduledTime(), changes.cronExpression(), changes.timezone());
          Instant next = lifecycle.nextRunAfterEdit(schedule.status(), timing);
          return new ScheduledMessage(
              schedule.id(),
              schedule.tenantId(),
              name,
              schedule.sessionId(),
              schedule.chatId(),
              schedule.customGroupId(),
              schedule.memberFilter(),
              schedule.scheduleType(),
              timing.cronExpression(),
              timing.scheduledTime(),
              timing.zone().getId(),
              schedule.messageType(),
              content,
              schedule.mediaUrl(),
              schedule.status(),
              next,
              schedule.lastRunAt(),
              schedule.runCount(),
              schedule.processInstanceKey(),
              schedule.engineEpoch(),
              schedule.createdAt(),
              schedule.updatedAt());
        });
  }

  /** Pauses: no occurrence runs, and messages of earlier occurrences still waiting are held. */
  ScheduledMessage pause(TenantId tenant, UUID id) {
    return lifecycle.pause(tenant, id, schedule -> outbox.hold(schedule.origin()));
  }

  /**
   * Resumes with the next occurrence from now on: the ones that passed while paused are skipped. A
   * one-time schedule whose time passed meanwhile is sent now if that was within the grace period,
   * else recorded as missed.
   */
  ScheduledMessage resume(TenantId tenant, UUID id) {
    return lifecycle.resume(tenant, id, schedule -> outbox.release(schedule.origin()));
  }

  /** Cancels for good; messages of earlier occurrences that have not left are cancelled too. */
  ScheduledMessage cancel(TenantId tenant, UUID id) {
    return lifecycle.cancel(
        tenant, id, schedule -> outbox.cancel(schedule.origin(), "schedule cancelled"));
  }

  void delete(TenantId tenant, UUID id) {
    ScheduledMessage schedule = get(tenant, id);
    if (!schedules.deleteFinished(tenant, id)) {
      throw ApiException.conflict(
          "Scheduled message %s is %s; only a cancelled or completed schedule can be deleted (cancel it first)"
              .formatted(id, schedule.status().value()));
    }
  }

  private ScheduledMessage validated(TenantId tenant, Draft d) {
    String name = d.name() == null ? DEFAULT_NAME : name(d.name());
    if (d.sessionId() == null) {
      throw ApiException.invalid("session_id is required");
    }
    boolean toChat = d.chatId() != null && !d.chatId().isBlank();
    if (toChat && d.customGroupId() != null) {
      throw ApiException.invalid(
          "give either chat_id (one chat) or custom_group_id (the members of a custom group), not both");
    }
    if (!toChat && d.customGroupId() == null) {
      throw ApiException.invalid(
          "a target is required: chat_id (one chat) or custom_group_id (the members of a custom group)");
    }
    Map<String, String> filter = d.filter() == null ? Map.of() : Map.copyOf(d.filter());
    if (toChat && !filter.isEmpty()) {
      throw ApiException.invalid(
          "filter selects custom-group members; it needs custom_group_id, not chat_id");
    }
    ChatId chat = toChat ? ChatId.parse(d.chatId()) : null;
    ScheduleTiming timing =
        ScheduleTiming.parse(
            d.scheduleType(),
            d.scheduledTime(),
            d.cronExpression(),
            d.timezone(),
            "schedule_type is required: one_time, daily, weekly, monthly or cron (or recurrence, as in"
                + " {\"recurrence\": \"weekly\"})");
    Recurrence recurrence = timing.recurrence(settings.minimumInterval(), clock.instant());
    String messageType =
        d.messageType() == null || d.messageType().isBlank() ? "text" : d.messageType().strip();
    if (!messageType.equals("text") && !messageType.equals("media")) {
      throw ApiException.invalid(
          "message_type must be 'text' or 'media', not '%s'".formatted(d.messageType()));
    }
    String content =
        d.messageContent() == null || d.messageContent().isBlank() ? null : d.messageContent();
    if (messageType.equals("media")) {
      if (d.mediaUrl() == null || d.mediaUrl().isBlank()) {
        throw ApiException.invalid("media_url must be an http(s) URL for a media message");
      }
      // Checked now for a clear 422, and again when each occurrence's media is downloaded.
      urls.checkField("media_url", d.mediaUrl());
    } else if (d.mediaUrl() != null) {
      throw ApiException.invalid("media_url is only for message_type 'media'");
    }
    String mediaUrl = d.mediaUrl() == null ? null : d.mediaUrl().strip();
    requireContent(messageType, content, mediaUrl);
    Instant now = clock.instant();
    return new ScheduledMessage(
        Ids.newId(),
        tenant,
        name,
        d.sessionId(),
        chat == null ? null : chat.value(),
        d.customGroupId(),
        filter,
        timing.type(),
        timing.cronExpression(),
        timing.scheduledTime(),
        timing.zone().getId(),
        messageType,
        content,
        mediaUrl,
        ScheduleStatus.ACTIVE,
        recurrence.firstAfter(clock.instant()),
        null,
        0,
        null,
        starter.epoch(),
        now,
        now);
  }

  private static void requireContent(String messageType, String content, String mediaUrl) {
    if (messageType.equals("text") && (content == null || content.isBlank())) {
      throw ApiException.invalid("message_content (or message) is required for a text message");
    }
    if (content != null && content.length() > MAX_TEXT_LENGTH) {
      throw ApiException.invalid(
          "message_content is %d characters long; the limit is %d"
              .formatted(content.length(), MAX_TEXT_LENGTH));
    }
    MessageTemplate.problem(content)
        .ifPresent(problem -> {
          throw ApiException.invalid("message_content: " + problem);
        });
  }

  private static String name(String raw) {
    String name = raw.strip();
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw ApiException.invalid("name must be 1 to %d characters".formatted(MAX_NAME_LENGTH));
    }
    return name;
  }
}
