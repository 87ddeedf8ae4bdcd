package io.flowmate.messaging;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Cancels a message whose approval was rejected or expired, recording why. Nothing is sent. The
 * message is loaded by tenant and id and cancelled only if its own approval says so.
 *
 * <p>In: {@code tenantId}, {@code messageId}, {@code approvalId}. Out: nothing.
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
      @Variable(name = MessageApprovalProcess.TENANT_ID) String tenantId,
      @Variable(name = MessageApprovalProcess.MESSAGE_ID) String messageId,
      @Variable(name = ApprovalGate.APPROVAL_ID) String approvalId) {
    TenantId tenant = TenantId.of(ForgedJob.uuid(MessageApprovalProcess.TENANT_ID, tenantId));
    UUID id = ForgedJob.uuid(MessageApprovalProcess.MESSAGE_ID, messageId);
    Message message =
        messages
            .find(tenant, id)
            .orElseThrow(() -> ForgedJob.refuse("message %s of tenant %s does not exist".formatted(id, tenant)));
    Approval approval =
        approvals.forSubject(tenant, MessageApprovalProcess.APPROVAL_KIND, message.id(), approvalId);
    if (approval.status() != ApprovalStatus.REJECTED && approval.status() != ApprovalStatus.EXPIRED) {
      throw ForgedJob.refuse(
          "approval %s of message %s is %s".formatted(approval.id(), id, approval.status().value()));
    }
    messages.cancelIfPending(message.id(), reason(approval), clock.instant());
  }

  private static String reason(Approval approval) {
    return switch (approval.status()) {
      case REJECTED -> "approval rejected: " + approval.reason();
      case EXPIRED -> "approval expired at " + approval.expiresAt();
      default -> "approval " + approval.status().value();
    };
  }
}
