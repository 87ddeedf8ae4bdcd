package io.flowmate.analytics.report;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.OccurrencePlanner;
import io.flowmate.workflow.ForgedJob;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads the report and tells its instance what to do next: wait for the next run, wait while
 * paused, or end. A run that fell due while Flowmate was down is planned at once if it is within
 * the grace period, else recorded as missed (see {@link ScheduledReportRuns#plan}).
 *
 * <p>In: {@code tenantId}, {@code reportId}. Out: {@code reportState} ({@code waiting}, {@code
 * paused}, {@code finished}) and, when waiting, {@code nextRunAt} (ISO-8601 instant).
 */
@Component
public class PlanReportRunWorker {

  private final ScheduledReportRuns runs;

  PlanReportRunWorker(ScheduledReportRuns runs) {
    this.runs = runs;
  }

  @JobWorker(type = ReportProcess.PLAN_JOB)
  public Map<String, Object> planReportRun(
      @Variable(name = ReportProcess.TENANT_ID) String tenantId,
      @Variable(name = ReportProcess.REPORT_ID) String reportId) {
    OccurrencePlanner.Plan plan =
        runs.plan(
            TenantId.of(ForgedJob.uuid(ReportProcess.TENANT_ID, tenantId)),
            ForgedJob.uuid(ReportProcess.REPORT_ID, reportId));
    Map<String, Object> variables = new HashMap<>();
    variables.put(ReportProcess.REPORT_STATE, plan.state());
    if (plan.nextRunAt() != null) {
      variables.put(ReportProcess.NEXT_RUN_AT, plan.nextRunAt().toString());
    }
    return variables;
  }
}
