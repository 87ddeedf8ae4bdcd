package io.flowmate.analytics.report;

import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.OccurrencePlanner;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

  private final ReportRepository reports;
  private final ReportGenerator generator;
  private final AnalyticsSettings.Reports settings;
  private final TransactionTemplate transaction;
  private final OccurrencePlanner<Report> planner;

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
    this.planner =
        new OccurrencePlanner<>(
            "Report",
            new OccurrencePlanner.Rows<>() {
              @Override
              public Optional<Report> find(UUID id) {
                return reports.findById(id);
              }

              @Override
              public boolean advance(UUID id, Instant due, Instant next, boolean ran, Instant now) {
                return reports.advance(id, due, next, ran, now);
              }

              @Override
              public void recordMissed(
                  Report report, List<Instant> missed, String reason, Instant now) {
                reports.recordMissed(report, missed, reason, now);
              }
            },
            this.settings.missedGrace(),
            missedReason(),
            transaction,
            clock,
            ForgedJob::refuse);
  }

  /** What the instance does next: see {@link OccurrencePlanner}. */
  OccurrencePlanner.Plan plan(TenantId tenant, UUID reportId) {
    return planner.plan(tenant, reportId);
  }

  /**
   * Generates the run the timer fired for, stores it, sends it when delivery is whatsapp and moves
   * the report to its next run. Nothing happens if the report no longer waits for this run (paused,
   * cancelled, deleted or re-timed meanwhile: its instance is about to hear of it).
   *
   * <p>Safe to run twice (a retried job, a restart): a run is stored once per occurrence, and a
   * retry sends the stored text under the same idempotency key, which the outbox queues once.
   */
  void generate(TenantId tenant, UUID reportId, Instant occurrence) {
    Optional<OccurrencePlanner.Due<Report>> due = planner.due(tenant, reportId, occurrence);
    if (due.isEmpty()) {
      return;
    }
    Report report = due.get().row();
    ReportRun run =
        reports
            .scheduledRun(reportId, occurrence)
            .orElseGet(() ->
                generator.generate(
                    report,
                    ReportRun.SCHEDULE,
                    occurrence,
                    ReportGenerator.scheduledPeriodStart(report, occurrence),
                    occurrence,
                    null));
    transaction.executeWithoutResult(status -> {
      reports.insertRun(run);
      ReportRun stored = reports.scheduledRun(reportId, occurrence).orElseThrow();
      generator.deliver(stored);
      reports.advance(reportId, occurrence, due.get().next(), true, due.get().now());
    });
  }

  private String missedReason() {
    return ("not generated: it fell due while Flowmate was not running; only the latest run within %s of"
            + " its time is generated late")
        .formatted(OccurrencePlanner.describe(settings.missedGrace()));
  }
}
