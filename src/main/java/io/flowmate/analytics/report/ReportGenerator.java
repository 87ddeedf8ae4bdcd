package io.flowmate.analytics.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.schedule.Recurrence;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Turns a report into a run: the template's figures for a period, written as WhatsApp text and as
 * JSON; and sends a run to its WhatsApp chat or group through the outbox, so that it passes the
 * number's send governor like any other message.
 */
@Service
class ReportGenerator {

  /** WhatsApp shows long texts, but a report longer than this is cut, pointing to the dashboard. */
  static final int MAX_WHATSAPP_LENGTH = 4000;

  /** What a cron report covers when its expression has no two runs left. */
  static final Duration DEFAULT_PERIOD = Duration.ofDays(7);

  private final ReportFigures figures;
  private final Sessions sessions;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;

  ReportGenerator(
      ReportFigures figures, Sessions sessions, Outbox outbox, ObjectMapper json, Clock clock) {
    this.figures = figures;
    this.sessions = sessions;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Where the period that ends at {@code end} starts when it is one period long: a day, a week or a
   * month back in the report's time zone (so a week across a clock change is 167 or 169 hours), a
   * week for a one-time report, and for a cron expression the time between its next two runs.
   */
  static Instant onePeriodBefore(Report report, Instant end) {
    ZonedDateTime local = end.atZone(report.zone());
    return switch (report.scheduleType()) {
      case DAILY -> local.minusDays(1).toInstant();
      case WEEKLY, ONE_TIME -> local.minusWeeks(1).toInstant();
      case MONTHLY -> local.minusMonths(1).toInstant();
      case CRON -> {
        Recurrence recurrence = report.recurrence();
        Optional<Instant> first = recurrence.next(end);
        Optional<Instant> second = first.flatMap(recurrence::next);
        yield end.minus(second.map(s -> Duration.between(first.get(), s)).orElse(DEFAULT_PERIOD));
      }
    };
  }

  /**
   * Where a scheduled run's period starts: at the previous run, if it ran within the last two
   * periods; else one period before the occurrence (the first run, or after a long pause).
   */
  static Instant scheduledPeriodStart(Report report, Instant occurrence) {
    Instant onePeriod = onePeriodBefore(report, occurrence);
    Instant twoPeriods = occurrence.minus(Duration.between(onePeriod, occurrence).multipliedBy(2));
    Instant previous = report.lastRunAt();
    if (previous != null && previous.isBefore(occurrence) && previous.isAfter(twoPeriods)) {
      return previous;
    }
    return onePeriod;
  }

  /**
   * Generates the report for {@code [periodStart, periodEnd)}. The run is not stored; its status is
   * {@code failed} when it is to be sent by a session that no longer exists.
   */
  ReportRun generate(
      Report report,
      String trigger,
      Instant occurrence,
      Instant periodStart,
      Instant periodEnd,
      String idempotencyKey) {
    ReportContents.Body body =
        figures.gather(report.tenantId(), report.template(), periodStart, periodEnd, report.zone());
    Instant now = clock.instant();
    ReportContents.Document document =
        new ReportContents.Document(
            report.template().id(),
            report.template().title(),
            report.name(),
            report.timezone(),
            periodStart,
            periodEnd,
            now,
            body);
    String text = document.text(new ReportText(report.zone(), periodEnd), report.template());
    JsonNode content = json.valueToTree(document);
    String error = null;
    if (report.delivery().isWhatsApp()
        && sessions
            .find(report.tenantId(), SessionId.of(report.delivery().sessionId()))
            .isEmpty()) {
      error =
          "not sent: session %s no longer exists; choose another delivery_session_id"
              .formatted(report.delivery().sessionId());
    }
    return new ReportRun(
        Ids.newId(),
        report.id(),
        report.tenantId(),
        trigger,
        occurrence,
        error == null ? ReportRun.GENERATED : ReportRun.FAILED,
        report.template(),
        periodStart,
        periodEnd,
        text,
        content,
        report.delivery(),
        error,
        idempotencyKey,
        now);
  }

  /**
   * Queues a generated run for its WhatsApp chat or group (nothing for the dashboard). Safe to call
   * again for the same run: its idempotency key is {@code report:<run id>}.
   */
  void deliver(ReportRun run) {
    if (!run.delivery().isWhatsApp() || !ReportRun.GENERATED.equals(run.status())) {
      return;
    }
    String text = run.text();
    if (text.length() > MAX_WHATSAPP_LENGTH) {
      text =
          text.substring(0, MAX_WHATSAPP_LENGTH)
              + "\n… (the whole report: GET /api/v2/reports/"
              + run.reportId()
              + "/runs/"
              + run.id()
              + ")";
    }
    // Repeatable: a weekly report to the same group is meant to go again, past the duplicate guard.
    outbox.enqueue(
        new Outbox.Batch(
            run.tenantId(),
            SessionId.of(run.delivery().sessionId()),
            run.origin(),
            List.of(
                new Outbox.Outgoing(
                    new ChatId(run.delivery().chatId()),
                    Outbox.Content.text(text),
                    "report:" + run.id())),
            false,
            true,
            null));
  }
}
