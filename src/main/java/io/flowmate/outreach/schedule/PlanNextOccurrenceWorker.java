package io.flowmate.outreach.schedule;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.OccurrencePlanner;
import io.flowmate.workflow.ForgedJob;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads the schedule and tells its instance what to do next: wait for the next occurrence, wait
 * while paused, or end. An occurrence that fell due while Flowmate was down is planned at once if
 * it is within the grace period, else recorded as missed (see {@link ScheduledOccurrences#plan}).
 *
 * <p>In: {@code tenantId}, {@code scheduleId}. Out: {@code scheduleState} ({@code waiting}, {@code
 * paused}, {@code finished}) and, when waiting, {@code nextRunAt} (ISO-8601 instant).
 */
@Component
public class PlanNextOccurrenceWorker {

  private final ScheduledOccurrences occurrences;

  PlanNextOccurrenceWorker(ScheduledOccurrences occurrences) {
    this.occurrences = occurrences;
  }

  @JobWorker(type = ScheduledMessageProcess.PLAN_JOB)
  public Map<String, Object> planNextOccurrence(
      @Variable(name = ScheduledMessageProcess.TENANT_ID) String tenantId,
      @Variable(name = ScheduledMessageProcess.SCHEDULE_ID) String scheduleId) {
    OccurrencePlanner.Plan plan =
        occurrences.plan(
            TenantId.of(ForgedJob.uuid(ScheduledMessageProcess.TENANT_ID, tenantId)),
            ForgedJob.uuid(ScheduledMessageProcess.SCHEDULE_ID, scheduleId));
    Map<String, Object> variables = new HashMap<>();
    variables.put(ScheduledMessageProcess.SCHEDULE_STATE, plan.state());
    if (plan.nextRunAt() != null) {
      variables.put(ScheduledMessageProcess.NEXT_RUN_AT, plan.nextRunAt().toString());
    }
    return variables;
  }
}
