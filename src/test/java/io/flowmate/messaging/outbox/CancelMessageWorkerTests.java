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
 * {@link CancelMessageWorker} without engine or database: it cancels a message only when its own
 * approval was rejected or expired, and records why.
 */
class CancelMessageWorkerTests {

  private static final Instant NOW = Instant.parse("2026-03-05T09:00:30Z");
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());

  private final OutboxRepository messages = mock(OutboxRepository.class);
  private final Approvals approvals = mock(Approvals.class);
  private final CancelMessageWorker worker =
      new CancelMessageWorker(messages, approvals, Clock.fixed(NOW, ZoneOffset.UTC));

  private final UUID approvalId = UUID.randomUUID();
  private final Message message =
      MessagesAwaitingApproval.message(TENANT, UUID.randomUUID(), approvalId);

  private void stored(ApprovalStatus status, String reason) {
    when(messages.find(TENANT, message.id())).thenReturn(Optional.of(message));
    when(approvals.forSubject(
            TENANT, MessageApprovalProcess.APPROVAL_KIND, message.id(), approvalId.toString()))
        .thenReturn(
            TestApprovals.decided(
                approvalId,
                TENANT,
                MessageApprovalProcess.APPROVAL_KIND,
                message.id(),
                status,
                null,
                reason));
  }

  private void cancel() {
    worker.cancelMessage(TENANT.value().toString(), message.id().toString(), approvalId.toString());
  }

  @Test
  void aRejectedMessageIsCancelledWithTheApproversReason() {
    stored(ApprovalStatus.REJECTED, "too pushy");

    cancel();

    verify(messages).cancelIfPending(message.id(), "approval rejected: too pushy", NOW);
  }

  @Test
  void anExpiredMessageIsCancelledWithTheExpiry() {
    stored(ApprovalStatus.EXPIRED, null);

    cancel();

    verify(messages)
        .cancelIfPending(message.id(), "approval expired at " + TestApprovals.EXPIRES_AT, NOW);
  }

  @ParameterizedTest
  @EnumSource(
      value = ApprovalStatus.class,
      names = {"PENDING", "APPROVED"})
  void aMessageStillAwaitingOrApprovedIsNotCancelled(ApprovalStatus status) {
    stored(status, null);

    assertRefused(this::cancel).contains(approvalId.toString(), status.value());

    verify(messages, never()).cancelIfPending(any(), any(), any());
  }

  @Test
  void aMessageOfAnotherTenantIsRefused() {
    when(messages.find(TENANT, message.id())).thenReturn(Optional.empty());

    assertRefused(this::cancel).contains("does not exist");

    verifyNoInteractions(approvals);
    verify(messages, never()).cancelIfPending(any(), any(), any());
  }
}
