package io.flowmate.outreach.followup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.workflow.ForgedJob;
import org.springframework.stereotype.Component;

/**
 * The contact replied: marks the follow-up {@code replied} and cancels a round that was queued but
 * has not left yet. Safe to run twice.
 *
 * <p>In: {@code tenantId}, {@code followUpId}. Out: nothing.
 */
@Component
public class StopFollowUpWorker {

  private final FollowUps followUps;

  StopFollowUpWorker(FollowUps followUps) {
    this.followUps = followUps;
  }

  @JobWorker(type = FollowUpProcess.STOP_FOLLOW_UP_JOB)
  public void stopFollowUp(
      @Variable(name = FollowUpProcess.TENANT_ID) String tenantId,
      @Variable(name = FollowUpProcess.FOLLOW_UP_ID) String followUpId) {
    followUps.stop(
        TenantId.of(ForgedJob.uuid(FollowUpProcess.TENANT_ID, tenantId)),
        ForgedJob.uuid(FollowUpProcess.FOLLOW_UP_ID, followUpId));
  }
}
