package io.flowmate.messaging.outbox;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.flowmate.core.TenantId;
import io.flowmate.messaging.message.Message;
import io.flowmate.support.TestApprovals;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SendMessageWorker} without engine or database: it releases a message only when the
 * message, loaded by tenant and id, waits for the very approval the job names and that approval is
 * approved; every other set of variables ends in a refusal and nothing is queued.
 */
class SendMessageWorkerTests {

  private static final Instant NOW = Instant.parse("2026-03-03T10:15:00Z");
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID SESSION = UUID.randomUUID();

  private final OutboxRepository messages = mock(OutboxRepository.class);
  private final Approvals approvals = mock(Approvals.class);
  private final OutboxDispatcher dispatcher = mock(OutboxDispatcher.class);
  private final SendMessageWorker worker =
      new SendMessageWorker(messages, approvals, dispatcher, Clock.fixed(NOW, ZoneOffset.UTC));

  private final UUID approvalId = UUID.randomUUID();
  private final Message message = MessagesAwaitingApproval.message(TENANT, SESSION, approvalId);

  private void stored(ApprovalStatus status, String editedText) {
    when(messages.find(TENANT, message.id())).thenReturn(Optional.of(message));
    Approval approval =
        TestApprovals.decided(
            approvalId,
            TENANT,
            MessageApprovalProcess.APPROVAL_KIND,
            message.id(),
            status,
            editedText,
            null);
    when(approvals.forSubject(
            TENANT, MessageApprovalProcess.APPROVAL_KIND, message.id(), approvalId.toString()))
        .thenReturn(approval);
  }

  private void send() {
    worker.sendMessage(TENANT.value().toString(), message.id().toString(), approvalId.toString());
  }

  @Test
  void anApprovedMessageIsReleasedAndItsNumberWoken() {
    stored(ApprovalStatus.APPROVED, null);

    send();

    verify(messages).queueIfPending(message.id(), null, null, NOW);
    verify(dispatcher).wake(SESSION);
  }

  @Test
  void theApproversEditReplacesTheTextAndItsDuplicateHash() {
    stored(ApprovalStatus.APPROVED, "Your order is ready for pick-up");

    send();

    verify(messages)
        .queueIfPending(
            message.id(),
            "Your order is ready for pick-up",
            SendPolicy.bodyHash("Your order is ready for pick-up"),
            NOW);
    verify(dispatcher).wake(SESSION);
  }

  @ParameterizedTest
  @EnumSource(
      value = ApprovalStatus.class,
      names = {"PENDING", "REJECTED", "EXPIRED"})
  void aMessageWhoseApprovalIsNotApprovedIsRefused(ApprovalStatus status) {
    stored(status, null);

    assertRefused(this::send).contains(message.id().toString(), status.value());

    verify(messages, never()).queueIfPending(any(), any(), any(), any());
    verifyNoInteractions(dispatcher);
  }

  @Test
  void aMessageOfAnotherTenantIsRefusedBeforeAnyApprovalIsRead() {
    when(messages.find(TENANT, message.id())).thenReturn(Optional.empty());

    assertRefused(this::send).contains("does not exist");

    verifyNoInteractions(approvals, dispatcher);
    verify(messages, never()).queueIfPending(any(), any(), any(), any());
  }

  @Test
  void anApprovedApprovalOfAnotherMessageReleasesNothing() {
    // The job names an approved approval, but this message waits for a different one.
    Message waitingForOther = MessagesAwaitingApproval.message(TENANT, SESSION, UUID.randomUUID());
    when(messages.find(TENANT, waitingForOther.id())).thenReturn(Optional.of(waitingForOther));
    when(approvals.forSubject(
            TENANT,
            MessageApprovalProcess.APPROVAL_KIND,
            waitingForOther.id(),
            approvalId.toString()))
        .thenReturn(
            TestApprovals.decided(
                approvalId,
                TENANT,
                MessageApprovalProcess.APPROVAL_KIND,
                waitingForOther.id(),
                ApprovalStatus.APPROVED,
                null,
                null));

    assertRefused(() ->
            worker.sendMessage(
                TENANT.value().toString(), waitingForOther.id().toString(), approvalId.toString()))
        .contains("waits for approval " + waitingForOther.approvalId());

    verify(messages, never()).queueIfPending(any(), any(), any(), any());
    verifyNoInteractions(dispatcher);
  }

  @Test
  void variablesThatAreNoIdsAreRefused() {
    assertRefused(() -> worker.sendMessage("tenant-1", message.id().toString(), "x"))
        .contains("tenantId");
    assertRefused(() -> worker.sendMessage(TENANT.value().toString(), null, "x"))
        .contains("messageId");

    verifyNoInteractions(messages, approvals, dispatcher);
  }
}
