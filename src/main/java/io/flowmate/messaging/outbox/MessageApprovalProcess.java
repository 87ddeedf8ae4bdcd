package io.flowmate.messaging.outbox;

/**
 * Names shared by {@code bpmn/messaging-approval.bpmn}, its workers, its starter and its tests.
 * Renaming an element in Camunda Modeler without changing it here breaks the build, not production.
 *
 * <p>Variables (ids only, plus what the approver must read): {@code tenantId}, {@code messageId},
 * {@code approvalId}, {@code approvalExpiresAt}; for the Tasklist form {@code recipient} and {@code
 * messageText}.
 */
final class MessageApprovalProcess {

  static final String PROCESS_ID = "messaging-approval";
  static final String FORM_ID = "messaging-approval-form";

  static final String SEND_MESSAGE_JOB = "flowmate.messaging.send-message";
  static final String CANCEL_MESSAGE_JOB = "flowmate.messaging.cancel-message";

  static final String START_EVENT = "ApprovalRequested";
  static final String APPROVE_TASK = "ApproveMessage";
  static final String EXPIRY_TIMER = "ApprovalExpired";
  static final String EXPIRE_TASK = "ExpireApproval";
  static final String RECORD_DECISION_TASK = "RecordDecision";
  static final String DECISION_GATEWAY = "IsApproved";
  static final String SEND_TASK = "SendMessage";
  static final String CANCEL_TASK = "CancelMessage";
  static final String SENT_END = "MessageSent";
  static final String CANCELLED_END = "MessageCancelled";

  static final String TENANT_ID = "tenantId";
  static final String MESSAGE_ID = "messageId";
  static final String RECIPIENT = "recipient";
  static final String MESSAGE_TEXT = "messageText";

  /** The approval kind this process asks for. */
  static final String APPROVAL_KIND = "message";

  private MessageApprovalProcess() {}
}
