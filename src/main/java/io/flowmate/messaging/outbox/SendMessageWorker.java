package io.flowmate.messaging.outbox;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.messaging.message.Message;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Sends an approved message: puts the approver's edited text in place if there is one, releases the
 * message into the outbox and wakes its number's send lane, which hands it to the transport through
 * the send governor. Safe to run twice (a job retried after a timeout): only a message still
 * awaiting approval is released, and the outbox sends each message once. Trusts no variable: the
 * message is loaded by tenant and id, and released only if its own approval is approved; any other
 * set of variables (an instance started with forged ones) is refused with an incident.
 *
 * <p>In: {@code tenantId}, {@code messageId}, {@code approvalId}. Out: nothing.
 */
@Component
public class SendMessageWorker {

  private final OutboxRepository messages;
  private final Approvals approvals;
  private final OutboxDispatcher dispatcher;
  private final Clock clock;

  SendMessageWorker(
      OutboxRepository messages, Approvals approvals, OutboxDispatcher dispatcher, Clock clock) {
    this.messages = messages;
    this.approvals = approvals;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  @JobWorker(type = MessageApprovalProcess.SEND_MESSAGE_JOB)
  public void sendMessage(
      @Variable(name = MessageApprovalProcess.TENANT_ID) String tenantId,
      @Variable(name = MessageApprovalProcess.MESSAGE_ID) String messageId,
      @Variable(name = ApprovalGate.APPROVAL_ID) String approvalId) {
    DecidedMessage decided =
        DecidedMessage.load(messages, approvals, tenantId, messageId, approvalId);
    Message message = decided.message();
    Approval approval = decided.approval();
    if (approval.status() != ApprovalStatus.APPROVED) {
      throw ForgedJob.refuse(
          "message %s waits for approval %s, which is %s"
              .formatted(message.id(), approval.id(), approval.status().value()));
    }
    String editedText = approval.editedText();
    messages.queueIfPending(
        message.id(), editedText, SendPolicy.bodyHash(editedText), clock.instant());
    dispatcher.wake(message.sessionId());
  }
}
