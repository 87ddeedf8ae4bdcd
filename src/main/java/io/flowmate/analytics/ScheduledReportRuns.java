package io.flowmate.analytics;

import io.flowmate.core.schedule.Recurrence;
import io.flowmate.core.schedule.ScheduleStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the {@code analytics-report} instance does at each step, always from the report as
 * PostgreSQL has it now: which run to wait for ({@link #plan}), and what to do when it is due
 * ({@link #generate}).
 *
 * <p>"Now" is the application's {@link Clock}, the same clock the embedded engine's timers follow
 * in production; runs are computed from the previous run, never from the moment a job happens to
 * run, so a late job does not shift the schedule.
 */
@Service
class ScheduledReportRuns {

  private static final Logger log = LoggerFactory.getLogger(ScheduledReportRuns.class);

  /** At most this many missed runs are recorded one by one after a long downtime. */
  static final int MISSED_RECORDED = 100;

  private final ReportRepository reports;
  private final ReportGenerator generator;
  private final AnalyticsSettings.Reports settings;
  private final TransactionTemplate transaction;
  private final Clock clock;

  ScheduledReportRuns(
      ReportRepository reports,
      ReportGenerator generator,
      AnalyticsSettings settings,
      TransactionTemplate transaction,
      Clock clock) {
    this.reports = reports;
    this.generator = generator;
    this.settings = settings.reports();
    this.transaction = transaction;
    this.clock = clock;
  }

  /**
   * What the instance does next.
   *
   * @param state {@link ReportProcess#WAITING}, {@code PAUSED} or {@code FINISHED}
   * @param nextRunAt the run to wait for, when waiting
   */
  record Plan(String state, Instant nextRunAt) {}

  /**
   * The run to wait for. Normally the report's {@code next_run_at}, in the future. When it has
   * passed (Flowmate was down when it was due, or the job waited): a run within {@code
   * missed-grace} is generated now, once, even if several fell due (the latest); older ones are
   * recorded as {@code missed}, and the report moves on to its next run (a one-time report
   * completes).
   */
  Plan plan(UUID reportId) {
    // Only an edit committed between reading and writing makes this go round again.
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Report> found = reports.findById(reportId);
      if (found.isEmpty()) {
        return new Plan(ReportProcess.FINISHED, null);
      }
      Report report = found.get();
      if (report.status() == ScheduleStatus.PAUSED) {
        return new Plan(ReportProcess.PAUSED, null);
      }
      if (report.status().isFinished()) {
        return new Plan(ReportProcess.FINISHED, null);
      }
      Instant now = clock.instant();
      Instant due = report.nextRunAt();
      if (due.isAfter(now)) {
        return waiting(due);
      }
      Recurrence.CatchUp catchUp = report.recurrence().catchUp(due, now, settings.missedGrace(), MISSED_RECORDED);
      if (catchUp.missed().isEmpty() && due.equals(catchUp.next())) {
        return waiting(due); // due right now, or late within the grace period: the timer fires at once
      }
      boolean moved =
          Boolean.TRUE.equals(
              transaction.execute(
                  status -> {
                    if (!reports.advance(reportId, due, catchUp.next(), false, now)) {
                      return false;
                    }
                    reports.recordMissed(report, catchUp.missed(), missedReason(), now);
                    return true;
                  }));
      if (moved) {
        log.info(
            "Report {}: {} run(s) missed while Flowmate was not running; next {}",
            reportId, catchUp.missed().size(), catchUp.next() == null ? "none (completed)" : catchUp.next());
        return catchUp.next() == null ? new Plan(ReportProcess.FINISHED, null) : waiting(catchUp.next());
      }
    }
    throw new IllegalStateException("report " + reportId + " kept changing while its next run was planned");
  }

  /**
   * Generates the run the timer fired for, stores it, sends it when delivery is whatsapp and moves
   * the report to its next run. Nothing happens if the report no longer waits for this run
   * (paused, cancelled, deleted or re-timed meanwhile: its instance is about to hear of it).
   *
   * <p>Safe to run twice (a retried job, a restart): a run is stored once per occurrence, and a
   * retry sends the stored text under the same idempotency key, which the outbox queues once.
   */
  void generate(UUID reportId, Instant occurrence) {
    Optional<Report> found = reports.findById(reportId);
    if (found.isEmpty()
        || found.get().status() != ScheduleStatus.ACTIVE
        || !occurrence.equals(found.get().nextRunAt())) {
      log.debug("Report {} no longer waits for {}; nothing generated", reportId, occurrence);
      return;
    }
    Report report = found.get();
    Instant now = clock.instant();
    Instant next = report.recurrence().next(occurrence).orElse(null);
    if (now.isAfter(occurrence.plus(settings.missedGrace()))) {
      transaction.executeWithoutResult(
          status -> {
            if (reports.advance(reportId, occurrence, next, false, now)) {
              reports.recordMissed(report, List.of(occurrence), missedReason(), now);
            }
          });
      return;
    }
    ReportRun run =
        reports.scheduledRun(reportId, occurrence)
            .orElseGet(
                () ->
                    generator.generate(
                        report, ReportRun.SCHEDULE, occurrence, ReportGenerator.scheduledPeriodStart(report, occurrence),
                        occurrence, null));
    transaction.executeWithoutResult(
        status -> {
          reports.insertRun(run);
          ReportRun stored = reports.scheduledRun(reportId, occurrence).orElseThrow();
          generator.deliver(stored);
          reports.advance(reportId, occurrence, next, true, now);
        });
  }

  /**
   * Which of the runs from {@code due} to now are missed, and which one comes next: the latest one
   * within the grace period (generated now), else the first in the future (null: none).
   */


  private Plan waiting(Instant nextRunAt) {
    return new Plan(ReportProcess.WAITING, nextRunAt);
  }

  private String missedReason() {
    return ("not generated: it fell due while Flowmate was not running; only the latest run within %s of"
            + " its time is generated late")
        .formatted(describe(settings.missedGrace()));
  }

  private static String describe(Duration duration) {
    return duration.toString().substring(2).toLowerCase();
  }
}
