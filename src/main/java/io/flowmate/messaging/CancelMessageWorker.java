package io.flowmate.messaging;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.Approvals;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Cancels a message whose approval was rejected or expired, recording why. Nothing is sent.
 *
 * <p>In: {@code messageId}, {@code approvalId}. Out: nothing.
 */
@Component
public class CancelMessageWorker {

  private final MessageRepository messages;
  private final Approvals approvals;
  private final Clock clock;

  CancelMessageWorker(MessageRepository messages, Approvals approvals, Clock clock) {
    this.messages = messages;
    this.approvals = approvals;
    this.clock = clock;
  }

  @JobWorker(type = MessageApprovalProcess.CANCEL_MESSAGE_JOB)
  public void cancelMessage(
      @Variable(name = MessageApprovalProcess.MESSAGE_ID) String messageId,
      @Variable(name = ApprovalGate.APPROVAL_ID) String approvalId) {
    String reason =
        approvals.find(UUID.fromString(approvalId)).map(CancelMessageWorker::reason).orElse("approval missing");
    messages.cancelIfPending(UUID.fromString(messageId), reason, clock.instant());
  }

  private static String reason(Approval approval) {
    return switch (approval.status()) {
      case REJECTED -> "approval rejected: " + approval.reason();
      case EXPIRED -> "approval expired at " + approval.expiresAt();
      default -> "approval " + approval.status().value();
    };
  }
}
