package io.flowmate.analytics.report;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.IdempotentCreate;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.schedule.Recurrence;
import io.flowmate.core.schedule.ScheduleLifecycle;
import io.flowmate.core.schedule.ScheduleStatus;
import io.flowmate.core.schedule.ScheduleTiming;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Directory;
import io.flowmate.messaging.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scheduled reports through the API: created with their next run and handed to their {@code
 * analytics-report} instance; edited, paused, resumed, cancelled and deleted in PostgreSQL (the
 * source of truth), after which the instance is told to read the report again; generated on demand.
 */
@Service
public class Reports {

  static final int MAX_NAME_LENGTH = 255;

  private final ReportRepository reports;
  private final ReportGenerator generator;
  private final ReportProcessStarter starter;
  private final Sessions sessions;
  private final Directory directory;
  private final Tenants tenants;
  private final Outbox outbox;
  private final AnalyticsSettings.Reports settings;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final ScheduleLifecycle<Report> lifecycle;

  Reports(
      ReportRepository reports,
      ReportGenerator generator,
      ReportProcessStarter starter,
      Sessions sessions,
      Directory directory,
      Tenants tenants,
      Outbox outbox,
      AnalyticsSettings settings,
      TransactionTemplate transaction,
      Clock clock) {
    this.reports = reports;
    this.generator = generator;
    this.starter = starter;
    this.sessions = sessions;
    this.directory = directory;
    this.tenants = tenants;
    this.outbox = outbox;
    this.settings = settings.reports();
    this.transaction = transaction;
    this.clock = clock;
    this.lifecycle =
        new ScheduleLifecycle<>(
            "Report",
            "report",
            ScheduleLifecycle.Rows.of(reports::find, reports::lock, reports::update),
            starter::signalChanged,
            this.settings.minimumInterval(),
            transaction,
            clock);
  }

  /**
   * A report as the API asked for it, or an edit of one.
   *
   * @param scheduledTime ISO 8601; without an offset it is wall-clock time in {@code timezone}
   * @param deliveryMethod {@code dashboard} (default) or {@code whatsapp}
   * @param deliverySessionId for whatsapp: the number that sends it (default: the tenant's only
   *     one)
   * @param deliveryChatId for whatsapp: a contact or group chat id
   */
  record Draft(
      String name,
      String templateId,
      String scheduleType,
      String cronExpression,
      String scheduledTime,
      String timezone,
      String deliveryMethod,
      UUID deliverySessionId,
      String deliveryChatId) {}

  /** A created report, or the one an earlier request with the same Idempotency-Key created. */
  record Accepted(Report report, boolean replayed) {}

  /** A generated run, or the one an earlier request with the same Idempotency-Key generated. */
  record Generated(ReportRun run, boolean replayed) {}

  Accepted create(TenantId tenant, Draft draft, String idempotencyKey) {
    byte[] requestHash = IdempotentCreate.requestHash(draft);
    IdempotentCreate.Outcome<Report> outcome =
        IdempotentCreate.create(
            idempotencyKey,
            requestHash,
            "report",
            key ->
                reports
                    .findByIdempotencyKey(tenant, key)
                    .map(earlier ->
                        new IdempotentCreate.Earlier<>(earlier.getKey(), earlier.getValue())),
            key -> store(tenant, draft, key, requestHash));
    return new Accepted(outcome.value(), outcome.replayed());
  }

  /** Checks the draft and the plan's cap, stores the report and starts its process. */
  private Report store(TenantId tenant, Draft draft, String idempotencyKey, byte[] requestHash) {
    Report report = validated(tenant, draft);
    transaction.executeWithoutResult(status -> {
      reports.lockReportsOf(tenant);
      PlanLimits limits = tenants.limits(tenant);
      long live = reports.countLive(tenant);
      if (!PlanLimits.allowsOneMore(limits.maxScheduledReports(), live)) {
        throw ApiException.forbidden(
            ("The %s plan allows %d scheduled report(s) and this tenant has %d active or paused; cancel or"
                    + " delete one, or upgrade (GET /api/v2/billing/plans)")
                .formatted(limits.displayName(), limits.maxScheduledReports(), live));
      }
      reports.insert(report, idempotencyKey, requestHash);
    });
    starter.startFor(report);
    return get(tenant, report.id());
  }

  Report get(TenantId tenant, UUID id) {
    return lifecycle.get(tenant, id);
  }

  Page<Report> list(TenantId tenant, ScheduleStatus status, PageQuery page) {
    return Page.of(reports.list(tenant, status, page), reports.count(tenant, status), page);
  }

  Page<ReportRun> runs(TenantId tenant, UUID id, PageQuery page) {
    return lifecycle.history(tenant, id, page, reports::runs, reports::countRuns);
  }

  ReportRun run(TenantId tenant, UUID id, UUID runId) {
    Report report = get(tenant, id);
    return reports
        .run(report.id(), runId)
        .orElseThrow(() -> ApiException.notFound("Report run", runId));
  }

  /**
   * The WhatsApp message of one of the report's runs as it stands in the outbox, if it was sent.
   */
  Optional<Outbox.OriginMessage> deliveryOf(ReportRun run) {
    if (!run.delivery().isWhatsApp() || !ReportRun.GENERATED.equals(run.status())) {
      return Optional.empty();
    }
    return outbox.messagesOf(run.origin(), null, 1, 0).stream().findFirst();
  }

  /**
   * Generates the report now, for the period that ends now, stores it and sends it when delivery is
   * whatsapp. The schedule is not touched: its next run covers its own period.
   */
  Generated runNow(TenantId tenant, UUID id, String idempotencyKey) {
    Report report = get(tenant, id);
    IdempotentCreate.Outcome<ReportRun> outcome =
        IdempotentCreate.create(
            idempotencyKey,
            null,
            "run",
            key ->
                reports
                    .runByIdempotencyKey(report.id(), key)
                    .map(run -> new IdempotentCreate.Earlier<>(run, null)),
            key -> generate(report, key));
    return new Generated(outcome.value(), outcome.replayed());
  }

  private ReportRun generate(Report report, String idempotencyKey) {
    Instant now = clock.instant();
    ReportRun run =
        generator.generate(
            report,
            ReportRun.MANUAL,
            now,
            ReportGenerator.onePeriodBefore(report, now),
            now,
            idempotencyKey);
    transaction.executeWithoutResult(status -> {
      if (!reports.insertRun(run)) {
        throw new DuplicateKeyException("run " + idempotencyKey + " of report " + report.id());
      }
      generator.deliver(run);
    });
    return run;
  }

  /**
   * Applies an edit: null fields of {@code changes} stay as they are, a blank {@code
   * cronExpression} removes it; an active report's next run is recomputed and its instance
   * re-timed.
   */
  Report update(TenantId tenant, UUID id, Draft changes) {
    Report current = get(tenant, id);
    Report.Delivery delivery =
        changes.deliveryMethod() == null
                && changes.deliverySessionId() == null
                && changes.deliveryChatId() == null
            ? current.delivery()
            : delivery(tenant, changedDelivery(current.delivery(), changes));
    return lifecycle.edit(
        tenant,
        id,
        report -> {
          String name = changes.name() == null ? report.name() : name(changes.name());
          ReportTemplate template =
              changes.templateId() == null
                  ? report.template()
                  : ReportTemplate.parse(changes.templateId());
          ScheduleTiming timing =
              report
                  .timing()
                  .patch(
                      changes.scheduleType(),
                      changes.scheduledTime(),
                      changes.cronExpression(),
                      changes.timezone());
          Instant next = lifecycle.nextRunAfterEdit(report.status(), timing);
          return new Report(
              report.id(),
              report.tenantId(),
              name,
              template,
              timing.type(),
              timing.cronExpression(),
              timing.scheduledTime(),
              timing.zone().getId(),
              delivery,
              report.status(),
              next,
              report.lastRunAt(),
              report.runCount(),
              report.processInstanceKey(),
              report.engineEpoch(),
              report.createdAt(),
              report.updatedAt());
        });
  }

  /** Pauses: no run is generated until resumed. */
  Report pause(TenantId tenant, UUID id) {
    return lifecycle.pause(tenant, id, report -> {});
  }

  /**
   * Resumes with the next run from now on: the ones that passed while paused are skipped. A
   * one-time report whose time passed meanwhile is generated now if that was within the grace
   * period, else recorded as missed.
   */
  Report resume(TenantId tenant, UUID id) {
    return lifecycle.resume(tenant, id, report -> {});
  }

  /**
   * Cancels for good; the history stays, and a WhatsApp delivery that has not left is cancelled.
   */
  Report cancel(TenantId tenant, UUID id) {
    Report cancelled = lifecycle.cancel(tenant, id, report -> {});
    cancelWaitingDelivery(cancelled, "report cancelled");
    return cancelled;
  }

  /** Deletes the report and its history in any status; its instance ends. */
  void delete(TenantId tenant, UUID id) {
    Report report = get(tenant, id);
    cancelWaitingDelivery(report, "report deleted");
    if (!reports.delete(tenant, id)) {
      throw ApiException.notFound("Report", id);
    }
    starter.signalChanged(report);
  }

  /** Runs are at least minutes apart, so only the latest can still wait in the outbox. */
  private void cancelWaitingDelivery(Report report, String reason) {
    reports.runs(report.id(), 1, 0).stream()
        .filter(run -> run.delivery().isWhatsApp())
        .forEach(run -> outbox.cancel(run.origin(), reason));
  }

  private Report validated(TenantId tenant, Draft d) {
    ReportTemplate template = ReportTemplate.parse(d.templateId());
    String name = d.name() == null ? template.title() : name(d.name());
    ScheduleTiming timing =
        ScheduleTiming.parse(
            d.scheduleType(),
            d.scheduledTime(),
            d.cronExpression(),
            d.timezone(),
            "schedule_type is required: one_time, daily, weekly, monthly or cron");
    Recurrence recurrence = timing.recurrence(settings.minimumInterval(), clock.instant());
    Report.Delivery delivery =
        delivery(
            tenant,
            new Report.Delivery(d.deliveryMethod(), d.deliverySessionId(), d.deliveryChatId()));
    Instant now = clock.instant();
    return new Report(
        Ids.newId(),
        tenant,
        name,
        template,
        timing.type(),
        timing.cronExpression(),
        timing.scheduledTime(),
        timing.zone().getId(),
        delivery,
        ScheduleStatus.ACTIVE,
        recurrence.firstAfter(clock.instant()),
        null,
        0,
        null,
        starter.epoch(),
        now,
        now);
  }

  /** The delivery an edit asks for: switching to the dashboard drops the WhatsApp target. */
  private static Report.Delivery changedDelivery(Report.Delivery current, Draft changes) {
    String method = changes.deliveryMethod() != null ? changes.deliveryMethod() : current.method();
    if (Report.Delivery.DASHBOARD.equals(method) && changes.deliveryMethod() != null) {
      return new Report.Delivery(method, changes.deliverySessionId(), changes.deliveryChatId());
    }
    return new Report.Delivery(
        method,
        changes.deliverySessionId() != null ? changes.deliverySessionId() : current.sessionId(),
        changes.deliveryChatId() != null ? changes.deliveryChatId() : current.chatId());
  }

  /**
   * Checks where the report goes. WhatsApp delivery needs the number that sends it (the tenant's
   * only session if none is named) and a contact or group chat; a group must be one the number is
   * in, which can be checked while the number is working. There is no default chat: the reference
   * API sends to the number's own chat, but the send governor would refuse that (the own number
   * never wrote first), so the report would never arrive.
   */
  private Report.Delivery delivery(TenantId tenant, Report.Delivery asked) {
    String method =
        asked.method() == null || asked.method().isBlank()
            ? Report.Delivery.DASHBOARD
            : asked.method().strip();
    if (method.equals(Report.Delivery.DASHBOARD)) {
      if (asked.sessionId() != null || (asked.chatId() != null && !asked.chatId().isBlank())) {
        throw ApiException.invalid(
            "delivery_session_id and delivery_chat_id are only for delivery_method whatsapp");
      }
      return Report.Delivery.dashboard();
    }
    if (!method.equals(Report.Delivery.WHATSAPP)) {
      throw ApiException.invalid(
          "delivery_method must be 'dashboard' or 'whatsapp', not '%s'".formatted(asked.method()));
    }
    SessionInfo session;
    if (asked.sessionId() != null) {
      session = sessions.get(tenant, SessionId.of(asked.sessionId()));
    } else {
      List<SessionInfo> all = sessions.list(tenant);
      if (all.size() != 1) {
        throw ApiException.invalid(
            "delivery_session_id is required for whatsapp delivery: the session (number) that sends the report");
      }
      session = all.getFirst();
    }
    if (asked.chatId() == null || asked.chatId().isBlank()) {
      throw ApiException.invalid(
          "delivery_chat_id is required for whatsapp delivery: a contact who wrote to the number (<phone>@c.us)"
              + " or a group it is in (<id>@g.us)");
    }
    ChatId chat = ChatId.parse(asked.chatId());
    if (chat.kind() == ChatId.Kind.GROUP && session.isWorking()) {
      boolean member =
          directory.groups(tenant).stream()
              .anyMatch(
                  group -> group.sessionId().equals(session.id()) && group.groupId().equals(chat));
      if (!member) {
        throw ApiException.invalid(
            "delivery_chat_id %s is not a group session %s is in; list its groups with GET /api/v2/custom-groups/wa-groups"
                .formatted(chat, session.id()));
      }
    }
    return new Report.Delivery(Report.Delivery.WHATSAPP, session.id().value(), chat.value());
  }

  private static String name(String raw) {
    String name = raw.strip();
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw ApiException.invalid("name must be 1 to %d characters".formatted(MAX_NAME_LENGTH));
    }
    return name;
  }
}
