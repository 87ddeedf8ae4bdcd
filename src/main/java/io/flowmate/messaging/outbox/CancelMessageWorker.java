package io.flowmate.messaging.outbox;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Cancels a message whose approval was rejected or expired, recording why. Nothing is sent. The
 * message is loaded by tenant and id and cancelled only if its own approval says so.
 *
 * <p>In: {@code tenantId}, {@code messageId}, {@code approvalId}. Out: nothing.
 */
@Component
public class CancelMessageWorker {

  private final OutboxRepository messages;
  private final Approvals approvals;
  private final Clock clock;

  CancelMessageWorker(OutboxRepository messages, Approvals approvals, Clock clock) {
    this.messages = messages;
    this.approvals = approvals;
    this.clock = clock;
  }

  @JobWorker(type = MessageApprovalProcess.CANCEL_MESSAGE_JOB)
  public void cancelMessage(
      @Variable(name = MessageApprovalProcess.TENANT_ID) String tenantId,
      @Variable(name = MessageApprovalProcess.MESSAGE_ID) String messageId,
      @Variable(name = ApprovalGate.APPROVAL_ID) String approvalId) {
    DecidedMessage decided =
        DecidedMessage.load(messages, approvals, tenantId, messageId, approvalId);
    Approval approval = decided.approval();
    if (approval.status() != ApprovalStatus.REJECTED
        && approval.status() != ApprovalStatus.EXPIRED) {
      throw ForgedJob.refuse(
          "approval %s of message %s is %s"
              .formatted(approval.id(), messageId, approval.status().value()));
    }
    messages.cancelIfPending(decided.message().id(), reason(approval), clock.instant());
  }

  private static String reason(Approval approval) {
    return switch (approval.status()) {
      case REJECTED -> "approval rejected: " + approval.reason();
      case EXPIRED -> "approval expired at " + approval.expiresAt();
      default -> "approval " + approval.status().value();
    };
  }
}
