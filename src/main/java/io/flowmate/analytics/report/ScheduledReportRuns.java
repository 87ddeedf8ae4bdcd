package io.flowmate.analytics.report;

import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.OccurrencePlanner;
import io.flowmate.core.schedule.ScheduleStatus;
import io.flowmate.workflow.ForgedJob;
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

  /** How far the engine's clock may run ahead of Flowmate's (a remote cluster's host). */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);


  private static final Logger log = LoggerFactory.getLogger(ScheduledReportRuns.class);

  private final ReportRepository reports;
  private final ReportGenerator generator;
  private final AnalyticsSettings.Reports settings;
  private final TransactionTemplate transaction;
  private final Clock clock;
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
    this.clock = clock;
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
              public void recordMissed(Report report, List<Instant> missed, String reason, Instant now) {
                reports.recordMissed(report, missed, reason, now);
              }
            },
            this.settings.missedGrace(),
            missedReason(),
            transaction,
            clock);
  }

  /** What the instance does next: see {@link OccurrencePlanner}. */
  OccurrencePlanner.Plan plan(TenantId tenant, UUID reportId) {
    ownedBy(tenant, reportId);
    return planner.plan(reportId);
  }

  /** Refuses a job that names another tenant's report (see {@link ForgedJob}). */
  private void ownedBy(TenantId tenant, UUID reportId) {
    reports.findById(reportId)
        .filter(found -> !found.tenantId().equals(tenant))
        .ifPresent(
            found -> {
              throw ForgedJob.refuse("report %s is not of tenant %s".formatted(reportId, tenant));
            });
  }

  /**
   * Generates the run the timer fired for, stores it, sends it when delivery is whatsapp and moves
   * the report to its next run. Nothing happens if the report no longer waits for this run
   * (paused, cancelled, deleted or re-timed meanwhile: its instance is about to hear of it).
   *
   * <p>Safe to run twice (a retried job, a restart): a run is stored once per occurrence, and a
   * retry sends the stored text under the same idempotency key, which the outbox queues once.
   */
  void generate(TenantId tenant, UUID reportId, Instant occurrence) {
    ownedBy(tenant, reportId);
    Optional<Report> found = reports.findById(reportId);
    if (found.isEmpty()
        || found.get().status() != ScheduleStatus.ACTIVE
        || !occurrence.equals(found.get().nextRunAt())) {
      log.debug("Report {} no longer waits for {}; nothing generated", reportId, occurrence);
      return;
    }
    Report report = found.get();
    Instant now = clock.instant();
    if (occurrence.isAfter(now.plus(CLOCK_SKEW))) {
      // Only its timer leads here, never early: an instance started at this step with forged
      // variables would send ahead of time.
      throw ForgedJob.refuse("report %s is not due before %s".formatted(reportId, occurrence));
    }
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

  private String missedReason() {
    return ("not generated: it fell due while Flowmate was not running; only the latest run within %s of"
            + " its time is generated late")
        .formatted(OccurrencePlanner.describe(settings.missedGrace()));
  }
}
