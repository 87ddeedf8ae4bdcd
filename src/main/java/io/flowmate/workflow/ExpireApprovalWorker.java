package io.flowmate.workflow;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Runs when an approval's boundary timer fires: marks it expired unless a decision was recorded
 * just before, and returns the decision that stands.
 *
 * <p>In: {@code approvalId}. Out: {@code approvalDecision}.
 */
@Component
public class ExpireApprovalWorker {

  private final Approvals approvals;

  ExpireApprovalWorker(Approvals approvals) {
    this.approvals = approvals;
  }

  @JobWorker(type = ApprovalGate.EXPIRE_JOB)
  public Map<String, Object> expireApproval(@Variable(name = ApprovalGate.APPROVAL_ID) String approvalId) {
    Approval standing =
        approvals.settle(UUID.fromString(approvalId), ApprovalStatus.EXPIRED, "timer", null, null);
    return Approvals.decisionVariables(standing);
  }
}
