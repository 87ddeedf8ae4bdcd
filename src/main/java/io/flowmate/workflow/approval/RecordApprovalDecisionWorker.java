package io.flowmate.workflow.approval;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.flowmate.core.ApprovalId;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Runs after an approval user task completes. A decision made through Flowmate's API is already
 * recorded; one made in Camunda Tasklist arrives as form variables and is recorded here. Returns
 * the decision that stands, for the gateway that follows. Only the instance whose user task the
 * approval tracks may record a decision: one started with forged variables is refused.
 *
 * <p>In: {@code approvalId}, {@code approvalDecision}, optional {@code editedText} and {@code
 * rejectionReason}. Out: {@code approvalDecision}.
 */
@Component
public class RecordApprovalDecisionWorker {

  private final Approvals approvals;

  RecordApprovalDecisionWorker(Approvals approvals) {
    this.approvals = approvals;
  }

  @JobWorker(type = ApprovalGate.RECORD_DECISION_JOB)
  public Map<String, Object> recordApprovalDecision(
      ActivatedJob job,
      @Variable(name = ApprovalGate.APPROVAL_ID) String approvalId,
      @Variable(name = ApprovalGate.DECISION) String decision,
      @Variable(name = ApprovalGate.EDITED_TEXT) String editedText,
      @Variable(name = ApprovalGate.REJECTION_REASON) String rejectionReason) {
    UUID id = ForgedJob.uuid(ApprovalGate.APPROVAL_ID, approvalId);
    Approval approval =
        approvals
            .find(ApprovalId.of(id))
            .orElseThrow(() -> ForgedJob.refuse("approval %s does not exist".formatted(id)));
    // The decision variables are trusted only from the instance whose user task was completed.
    if (!approvals.isTrackedBy(approval, job.getProcessInstanceKey())) {
      throw ForgedJob.refuse(
          "approval %s is not decided in process instance %d"
              .formatted(id, job.getProcessInstanceKey()));
    }
    ApprovalStatus requested =
        ApprovalStatus.APPROVED.value().equals(decision)
            ? ApprovalStatus.APPROVED
            : ApprovalStatus.REJECTED;
    String text = blankToNull(editedText);
    if (text != null && text.length() > Approvals.MAX_TEXT_LENGTH) {
      text = text.substring(0, Approvals.MAX_TEXT_LENGTH);
    }
    String reason =
        requested == ApprovalStatus.REJECTED
            ? defaultIfBlank(rejectionReason, "rejected in Tasklist")
            : null;
    Approval standing =
        approvals.settle(
            ApprovalId.of(id),
            requested,
            "tasklist",
            requested == ApprovalStatus.APPROVED ? text : null,
            reason);
    return Approvals.decisionVariables(standing);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String defaultIfBlank(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
