package io.flowmate.outreach.schedule;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.workflow.ForgedJob;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Sends one occurrence of a schedule when its timer fires: queues the personalised message for the
 * chat or for every custom-group member the filter selects (read a page of 1,000 at a time),
 * through the outbox and so the number's send governor; records the occurrence in the history and
 * moves the schedule to its next occurrence (a one-time schedule completes). Sends nothing if the
 * schedule was paused, cancelled or re-timed meanwhile. Safe to run twice: idempotency keys {@code
 * schedule:<id>:<occurrence>:<chat>}.
 *
 * <p>In: {@code tenantId}, {@code scheduleId}, {@code nextRunAt} (the occurrence). Out: nothing.
 */
@Component
public class SendScheduledMessageWorker {

  private final ScheduledOccurrences occurrences;

  SendScheduledMessageWorker(ScheduledOccurrences occurrences) {
    this.occurrences = occurrences;
  }

  @JobWorker(type = ScheduledMessageProcess.SEND_JOB)
  public void sendScheduledMessage(
      @Variable(name = ScheduledMessageProcess.TENANT_ID) String tenantId,
      @Variable(name = ScheduledMessageProcess.SCHEDULE_ID) String scheduleId,
      @Variable(name = ScheduledMessageProcess.NEXT_RUN_AT) String occurrence) {
    occurrences.send(
        TenantId.of(ForgedJob.uuid(ScheduledMessageProcess.TENANT_ID, tenantId)),
        ForgedJob.uuid(ScheduledMessageProcess.SCHEDULE_ID, scheduleId),
        Instant.parse(occurrence));
  }
}
