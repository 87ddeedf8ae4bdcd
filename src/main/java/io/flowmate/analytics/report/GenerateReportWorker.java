package io.flowmate.analytics.report;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.workflow.ForgedJob;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Generates one run of a report when its timer fires: gathers the template's figures from the other
 * modules, stores the run (WhatsApp text and JSON) for the dashboard, queues the text for the
 * report's WhatsApp chat or group through the outbox when delivery is whatsapp, and moves the
 * report to its next run (a one-time report completes). Generates nothing if the report was paused,
 * cancelled or re-timed meanwhile. Safe to run twice: one run per occurrence, idempotency key
 * {@code report:<run id>}.
 *
 * <p>In: {@code tenantId}, {@code reportId}, {@code nextRunAt} (the occurrence). Out: nothing.
 */
@Component
public class GenerateReportWorker {

  private final ScheduledReportRuns runs;

  GenerateReportWorker(ScheduledReportRuns runs) {
    this.runs = runs;
  }

  @JobWorker(type = ReportProcess.GENERATE_JOB)
  public void generateReport(
      @Variable(name = ReportProcess.TENANT_ID) String tenantId,
      @Variable(name = ReportProcess.REPORT_ID) String reportId,
      @Variable(name = ReportProcess.NEXT_RUN_AT) String occurrence) {
    runs.generate(
        TenantId.of(ForgedJob.uuid(ReportProcess.TENANT_ID, tenantId)),
        ForgedJob.uuid(ReportProcess.REPORT_ID, reportId),
        Instant.parse(occurrence));
  }
}
