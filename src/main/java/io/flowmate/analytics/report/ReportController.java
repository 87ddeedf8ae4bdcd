package io.flowmate.analytics.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.schedule.ScheduleStatus;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.messaging.Outbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * MoltFlow-compatible scheduled reports (reference §1.2 "Scheduled reports", §2.5, §2.6), plus
 * Flowmate's own: WhatsApp delivery to a chosen contact or group, cancel, generate now, and the
 * generated runs as text and JSON.
 */
@RestController
@RequestMapping("/api/v2/reports")
@Tag(
    name = "Reports",
    description =
        "Ten report templates, scheduled in a time zone, on the dashboard or sent on WhatsApp")
class ReportController {

  private static final int RUNS_IN_DETAIL = 10;

  private final Reports reports;

  ReportController(Reports reports) {
    this.reports = reports;
  }

  record TemplateView(String id, String name, String description) {}

  /** The body of a creation and of an edit (where absent fields stay as they are). */
  record ReportRequest(
      String name,
      String templateId,
      String scheduleType,
      String cronExpression,
      String scheduledTime,
      String timezone,
      String deliveryMethod,
      UUID deliverySessionId,
      String deliveryChatId) {

    Reports.Draft draft() {
      return new Reports.Draft(
          name,
          templateId,
          scheduleType,
          cronExpression,
          scheduledTime,
          timezone,
          deliveryMethod,
          deliverySessionId,
          deliveryChatId);
    }
  }

  /**
   * @param scheduledTime the wall-clock time with the zone's offset at that date
   * @param runs the latest runs (detail view only; all of them: /runs)
   */
  record ReportView(
      UUID id,
      String name,
      String templateId,
      String scheduleType,
      String cronExpression,
      String scheduledTime,
      String timezone,
      String deliveryMethod,
      UUID deliverySessionId,
      String deliveryChatId,
      String status,
      Instant nextRunAt,
      Instant lastRunAt,
      int runCount,
      Long processInstanceKey,
      Instant createdAt,
      Instant updatedAt,
      List<RunView> runs) {}

  /**
   * Where a run went. For whatsapp: the message's state in the outbox ({@code queued}, {@code
   * sent}, {@code delivered}, {@code read}, {@code failed}, {@code cancelled}), null until queued.
   */
  record DeliveryView(
      String method,
      UUID sessionId,
      String chatId,
      UUID messageId,
      String status,
      String failureReason,
      Instant sentAt) {}

  /**
   * @param text the report as the WhatsApp message shows it (single run only)
   * @param data the same figures as JSON (single run only)
   */
  record RunView(
      UUID id,
      UUID reportId,
      String trigger,
      Instant occurrence,
      String status,
      String templateId,
      Instant periodStart,
      Instant periodEnd,
      Instant generatedAt,
      String error,
      DeliveryView delivery,
      String text,
      JsonNode data) {}

  @GetMapping("/templates")
  @RequiresScope(Scopes.REPORTS_READ)
  @Operation(summary = "The ten report templates")
  List<TemplateView> templates() {
    return Arrays.stream(ReportTemplate.values())
        .map(t -> new TemplateView(t.id(), t.title(), t.description()))
        .toList();
  }

  @PostMapping
  @RequiresScope(Scopes.REPORTS_MANAGE)
  @Operation(
      summary = "Schedule a report",
      description =
          "template_id (GET /reports/templates); schedule_type one_time (scheduled_time), daily | weekly | monthly"
              + " (cron_expression, or the time, weekday or day of month of scheduled_time), cron (cron_expression:"
              + " 5 fields, at least 5 minutes apart); timezone: IANA, default UTC. delivery_method dashboard"
              + " (default) or whatsapp: delivery_session_id (default: the only session) sends it to"
              + " delivery_chat_id, a contact or a group the number is in; it passes the number's send governor."
              + " Active and paused reports count against the plan's max_scheduled_reports. Status codes: 201"
              + " created, 200 replayed (same Idempotency-Key and body).")
  ResponseEntity<ReportView> create(
      Caller caller,
      @RequestBody ReportRequest request,
      @Parameter(
              description =
                  "Repeat the request safely: the same key and body return the first report")
          @RequestHeader(name = "Idempotency-Key", required = false)
          String idempotencyKey) {
    Reports.Accepted accepted = reports.create(caller.tenantId(), request.draft(), idempotencyKey);
    return ResponseEntity.status(accepted.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
        .body(view(accepted.report(), null));
  }

  @GetMapping
  @RequiresScope(Scopes.REPORTS_READ)
  @Operation(summary = "List reports, newest first; filter by status")
  Page<ReportView> list(
      Caller caller,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return reports
        .list(
            caller.tenantId(),
            status == null ? null : ScheduleStatus.parse(status),
            PageQuery.of(limit, offset))
        .map(r -> view(r, null));
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.REPORTS_READ)
  @Operation(summary = "A report with its latest runs")
  ReportView get(Caller caller, @PathVariable UUID id) {
    Report report = reports.get(caller.tenantId(), id);
    List<RunView> runs =
        reports.runs(caller.tenantId(), id, PageQuery.of(RUNS_IN_DETAIL, 0)).items().stream()
            .map(run -> runView(run, false))
            .toList();
    return view(report, runs);
  }

  @PatchMapping("/{id}")
  @RequiresScope(Scopes.REPORTS_MANAGE)
  @Operation(
      summary = "Change the schedule or settings of an active or paused report",
      description =
          "Any of name, template_id, schedule_type, cron_expression (blank removes it), scheduled_time, timezone,"
              + " delivery_method, delivery_session_id, delivery_chat_id. The next run is recomputed and the"
              + " report's process re-timed at once.")
  ReportView update(Caller caller, @PathVariable UUID id, @RequestBody ReportRequest request) {
    return view(reports.update(caller.tenantId(), id, request.draft()), null);
  }

  @PostMapping("/{id}/pause")
  @RequiresScope(Scopes.REPORTS_MANAGE)
  @Operation(summary = "Pause an active report")
  ReportView pause(Caller caller, @PathVariable UUID id) {
    return view(reports.pause(caller.tenantId(), id), null);
  }

  @PostMapping("/{id}/resume")
  @RequiresScope(Scopes.REPORTS_MANAGE)
  @Operation(summary = "Resume a paused report from its next run")
  ReportView resume(Caller caller, @PathVariable UUID id) {
    return view(reports.resume(caller.tenantId(), id), null);
  }

  @PostMapping("/{id}/cancel")
  @RequiresScope(Scopes.REPORTS_MANAGE)
  @Operation(summary = "Cancel a report for good, keeping its runs (Flowmate)")
  ReportView cancel(Caller caller, @PathVariable UUID id) {
    return view(reports.cancel(caller.tenantId(), id), null);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.REPORTS_MANAGE)
  @Operation(summary = "Delete a report and its runs, in any status")
  void delete(Caller caller, @PathVariable UUID id) {
    reports.delete(caller.tenantId(), id);
  }

  @PostMapping("/{id}/run")
  @RequiresScope(Scopes.REPORTS_MANAGE)
  @Operation(
      summary = "Generate the report now (Flowmate)",
      description =
          "Generates the report for the period ending now (one schedule period), stores the run and, with"
              + " whatsapp delivery, sends it. The schedule is not touched. Status codes: 201 generated, 200"
              + " replayed (same Idempotency-Key).")
  ResponseEntity<RunView> run(
      Caller caller,
      @PathVariable UUID id,
      @Parameter(description = "Repeat the request safely: the same key returns the first run")
          @RequestHeader(name = "Idempotency-Key", required = false)
          String idempotencyKey) {
    Reports.Generated generated = reports.runNow(caller.tenantId(), id, idempotencyKey);
    return ResponseEntity.status(generated.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
        .body(runView(generated.run(), true));
  }

  @GetMapping("/{id}/runs")
  @RequiresScope(Scopes.REPORTS_READ)
  @Operation(summary = "Runs of a report, newest first: generated, failed or missed (Flowmate)")
  Page<RunView> runs(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return reports
        .runs(caller.tenantId(), id, PageQuery.of(limit, offset))
        .map(run -> runView(run, false));
  }

  @GetMapping("/{id}/runs/{runId}")
  @RequiresScope(Scopes.REPORTS_READ)
  @Operation(summary = "One generated run: its WhatsApp text and its figures as JSON (Flowmate)")
  RunView run(Caller caller, @PathVariable UUID id, @PathVariable UUID runId) {
    return runView(reports.run(caller.tenantId(), id, runId), true);
  }

  @GetMapping(value = "/{id}/runs/{runId}/text", produces = MediaType.TEXT_PLAIN_VALUE)
  @RequiresScope(Scopes.REPORTS_READ)
  @Operation(summary = "One generated run as plain text, as WhatsApp shows it (Flowmate)")
  String runText(Caller caller, @PathVariable UUID id, @PathVariable UUID runId) {
    ReportRun run = reports.run(caller.tenantId(), id, runId);
    return run.text() == null ? "" : run.text();
  }

  private RunView runView(ReportRun run, boolean withContent) {
    Outbox.OriginMessage message = reports.deliveryOf(run).orElse(null);
    return new RunView(
        run.id(),
        run.reportId(),
        run.trigger(),
        run.occurrence(),
        run.status(),
        run.template().id(),
        run.periodStart(),
        run.periodEnd(),
        run.generatedAt(),
        run.error(),
        new DeliveryView(
            run.delivery().method(),
            run.delivery().sessionId(),
            run.delivery().chatId(),
            message == null ? null : message.messageId().value(),
            message == null ? null : message.status(),
            message == null ? null : message.failureReason(),
            message == null ? null : message.sentAt()),
        withContent ? run.text() : null,
        withContent ? run.json() : null);
  }

  private static ReportView view(Report r, List<RunView> runs) {
    return new ReportView(
        r.id(),
        r.name(),
        r.template().id(),
        r.scheduleType().value(),
        r.cronExpression(),
        r.scheduledTime() == null
            ? null
            : r.scheduledTime().atZone(r.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        r.timezone(),
        r.delivery().method(),
        r.delivery().sessionId(),
        r.delivery().chatId(),
        r.status().value(),
        r.nextRunAt(),
        r.lastRunAt(),
        r.runCount(),
        r.processInstanceKey(),
        r.createdAt(),
        r.updatedAt(),
        runs);
  }
}
