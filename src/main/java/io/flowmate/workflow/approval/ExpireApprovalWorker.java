package io.flowmate.workflow.approval;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.ApprovalId;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Runs when an approval's boundary timer fires: marks it expired unless a decision was recorded
 * just before, and returns the decision that stands. Refused before the approval's expiry (an
 * instance started at this step with forged variables).
 *
 * <p>In: {@code approvalId}. Out: {@code approvalDecision}.
 */
@Component
public class ExpireApprovalWorker {

  /** How far the engine's clock may run ahead of Flowmate's (a remote cluster's host). */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private final Approvals approvals;
  private final Clock clock;

  ExpireApprovalWorker(Approvals approvals, Clock clock) {
    this.approvals = approvals;
    this.clock = clock;
  }

  @JobWorker(type = ApprovalGate.EXPIRE_JOB)
  public Map<String, Object> expireApproval(
      @Variable(name = ApprovalGate.APPROVAL_ID) String approvalId) {
    UUID id = ForgedJob.uuid(ApprovalGate.APPROVAL_ID, approvalId);
    Approval approval =
        approvals
            .find(ApprovalId.of(id))
            .orElseThrow(() -> ForgedJob.refuse("approval %s does not exist".formatted(id)));
    // Only the boundary timer leads here, and never before the approval expires.
    if (approval.status() == ApprovalStatus.PENDING
        && approval.expiresAt().isAfter(clock.instant().plus(CLOCK_SKEW))) {
      throw ForgedJob.refuse(
          "approval %s does not expire before %s".formatted(id, approval.expiresAt()));
    }
    Approval standing =
        approvals.settle(ApprovalId.of(id), ApprovalStatus.EXPIRED, "timer", null, null);
    return Approvals.decisionVariables(standing);
  }
}
