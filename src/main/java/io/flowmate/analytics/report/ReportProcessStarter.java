package io.flowmate.analytics.report;

import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.ProcessBackedRows;
import io.flowmate.workflow.Processes;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives every active or paused report a live {@code analytics-report} instance: when it is created,
 * and again after the engine lost its instances (a restart of the embedded engine). The new
 * instance starts from the beginning and reads the report, so a run that fell due while Flowmate
 * was down is generated late or recorded as missed (see {@link ScheduledReportRuns#plan}). Also
 * tells instances that their report changed.
 */
@Component
class ReportProcessStarter {

  private static final Logger log = LoggerFactory.getLogger(ReportProcessStarter.class);

  /**
   * How long a change signal waits for its instance to listen (it may be busy generating). Missing
   * it is harmless: the instance reads the report after every run anyway.
   */
  static final Duration SIGNAL_BUFFER = Duration.ofMinutes(1);

  private final Processes processes;
  private final ProcessBackedRows<Report> rows;

  ReportProcessStarter(Processes processes, ReportRepository reports) {
    this.processes = processes;
    this.rows =
        new ProcessBackedRows<>(
            processes,
            "report",
            ProcessBackedRows.Table.of(
                Report::id,
                Report::processInstanceKey,
                Report::engineEpoch,
                reports::liveOutside,
                reports::claimForEpoch,
                reports::attachProcess),
            this::launch);
  }

  String epoch() {
    return rows.epoch();
  }

  /**
   * Starts the instance for a report already claimed for the current epoch.
   *
   * @return false if the engine could not be reached (the next reconciliation tries again)
   */
  boolean startFor(Report report) {
    return rows.start(report);
  }

  private Processes.StartedInstance launch(Report report) {
    return processes.start(
        ReportProcess.PROCESS_ID,
        Map.of(
            ReportProcess.TENANT_ID, report.tenantId().toString(),
            ReportProcess.REPORT_ID, report.id().toString()));
  }

  /**
   * Wakes the report's instance to read the report again. If the engine cannot be reached the
   * change still holds: PostgreSQL is the source of truth, and the instance checks the report
   * before every run.
   */
  void signalChanged(Report report) {
    try {
      processes.publishMessage(
          ReportProcess.CHANGED_MESSAGE, report.id().toString(), Map.of(), SIGNAL_BUFFER);
    } catch (RuntimeException e) {
      log.warn(
          "Could not tell the process of report {} about a change: {}",
          report.id(),
          e.getMessage());
    }
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    rows.recreate();
  }

  /** Catches up with starts that failed (engine briefly unreachable). */
  @Scheduled(
      fixedDelayString = "${flowmate.analytics.reports.reconcile-interval:1m}",
      initialDelayString = "${flowmate.analytics.reports.reconcile-interval:1m}")
  int reconcile() {
    return rows.reconcile();
  }
}
