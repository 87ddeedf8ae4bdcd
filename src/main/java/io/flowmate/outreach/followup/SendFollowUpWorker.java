package io.flowmate.outreach.followup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.flowmate.core.TenantId;
import io.flowmate.workflow.ForgedJob;
import org.springframework.stereotype.Component;

/**
 * The wait is over and no reply came: queues the next round's personalised message through the
 * outbox, unless the contact wrote after all (outcome {@code replied}) or the follow-up is over
 * (rule deleted, contact no longer in the audience: outcome {@code ended}). Safe to run twice: each
 * round has its own idempotency key.
 *
 * <p>In: {@code tenantId}, {@code followUpId}, {@code round} (rounds sent so far). Out: {@code
 * outcome}, {@code round}, {@code waitDuration} (the full wait, for the next round's timer).
 */
@Component
public class SendFollowUpWorker {

  private final FollowUps followUps;

  SendFollowUpWorker(FollowUps followUps) {
    this.followUps = followUps;
  }

  /** The variables this step changes. */
  public record Sent(String outcome, int round, String waitDuration) {}

  @JobWorker(type = FollowUpProcess.SEND_FOLLOW_UP_JOB)
  public Sent sendFollowUp(
      ActivatedJob job,
      @Variable(name = FollowUpProcess.TENANT_ID) String tenantId,
      @Variable(name = FollowUpProcess.FOLLOW_UP_ID) String followUpId,
      @Variable(name = FollowUpProcess.ROUND) int round) {
    FollowUps.RoundResult result =
        followUps.sendRound(
            TenantId.of(ForgedJob.uuid(FollowUpProcess.TENANT_ID, tenantId)),
            ForgedJob.uuid(FollowUpProcess.FOLLOW_UP_ID, followUpId),
            round,
            job.getProcessInstanceKey());
    return new Sent(result.outcome(), result.round(), result.waitTime().toString());
  }
}
