package io.flowmate.outreach.followup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.workflow.ForgedJob;
import org.springframework.stereotype.Component;

/**
 * Every round was sent without a reply: marks the follow-up {@code completed}, so that the next
 * message to the contact may start a new one. Safe to run twice.
 *
 * <p>In: {@code tenantId}, {@code followUpId}. Out: nothing.
 */
@Component
public class CompleteFollowUpWorker {

  private final FollowUps followUps;

  CompleteFollowUpWorker(FollowUps followUps) {
    this.followUps = followUps;
  }

  @JobWorker(type = FollowUpProcess.COMPLETE_FOLLOW_UP_JOB)
  public void completeFollowUp(
      @Variable(name = FollowUpProcess.TENANT_ID) String tenantId,
      @Variable(name = FollowUpProcess.FOLLOW_UP_ID) String followUpId) {
    followUps.complete(
        TenantId.of(ForgedJob.uuid(FollowUpProcess.TENANT_ID, tenantId)),
        ForgedJob.uuid(FollowUpProcess.FOLLOW_UP_ID, followUpId));
  }
}
