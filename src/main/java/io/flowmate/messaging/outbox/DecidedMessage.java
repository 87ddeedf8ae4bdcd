package io.flowmate.messaging.outbox;

import io.flowmate.core.TenantId;
import io.flowmate.messaging.message.Message;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.util.UUID;

/**
 * The message and the approval that an approval instance's job names, loaded by tenant and id and
 * refused (see {@link ForgedJob}) unless the approval is the one this message waits for: the send
 * and cancel workers act on nothing their variables merely claim.
 */
record DecidedMessage(Message message, Approval approval) {

  static DecidedMessage load(
      OutboxRepository messages,
      Approvals approvals,
      String tenantId,
      String messageId,
      String approvalId) {
    TenantId tenant = TenantId.of(ForgedJob.uuid(MessageApprovalProcess.TENANT_ID, tenantId));
    UUID id = ForgedJob.uuid(MessageApprovalProcess.MESSAGE_ID, messageId);
    Message message =
        messages
            .find(tenant, id)
            .orElseThrow(() ->
                ForgedJob.refuse("message %s of tenant %s does not exist".formatted(id, tenant)));
    Approval approval =
        approvals.forSubject(tenant, MessageApprovalProcess.APPROVAL_KIND, id, approvalId);
    if (!approval.id().value().equals(message.approvalId())) {
      throw ForgedJob.refuse(
          "message %s waits for approval %s, not %s"
              .formatted(id, message.approvalId(), approval.id()));
    }
    return new DecidedMessage(message, approval);
  }
}
