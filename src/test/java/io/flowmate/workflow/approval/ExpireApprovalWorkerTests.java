package io.flowmate.workflow.approval;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.flowmate.core.ApprovalId;
import io.flowmate.core.TenantId;
import io.flowmate.support.TestApprovals;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link ExpireApprovalWorker} without engine or database: the boundary timer's job expires a
 * pending approval once its expiry is reached (the engine's clock may run a minute ahead), hands on
 * a decision recorded just before, and is refused before the expiry.
 */
class ExpireApprovalWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID SUBJECT = UUID.randomUUID();

  private final Approvals approvals = mock(Approvals.class);

  private ExpireApprovalWorker workerAt(Instant now) {
    return new ExpireApprovalWorker(approvals, Clock.fixed(now, ZoneOffset.UTC));
  }

  private Approval stored(ApprovalStatus status) {
    Approval approval = TestApprovals.approval(TENANT, "message", SUBJECT, status);
    when(approvals.find(approval.id())).thenReturn(Optional.of(approval));
    return approval;
  }

  private void settlesAs(Approval approval, ApprovalStatus standing) {
    when(approvals.settle(approval.id(), ApprovalStatus.EXPIRED, "timer", null, null))
        .thenReturn(
            TestApprovals.decided(approval.id(), TENANT, "message", SUBJECT, standing, null, null));
  }

  @Test
  void aPendingApprovalPastItsExpiryExpires() {
    Approval approval = stored(ApprovalStatus.PENDING);
    settlesAs(approval, ApprovalStatus.EXPIRED);

    Map<String, Object> out =
        workerAt(TestApprovals.EXPIRES_AT).expireApproval(approval.id().toString());

    assertThat(out).isEqualTo(Map.of(ApprovalGate.DECISION, "expired"));
    verify(approvals).settle(approval.id(), ApprovalStatus.EXPIRED, "timer", null, null);
  }

  @Test
  void anEngineClockUpToAMinuteAheadStillExpires() {
    Approval approval = stored(ApprovalStatus.PENDING);
    settlesAs(approval, ApprovalStatus.EXPIRED);

    workerAt(TestApprovals.EXPIRES_AT.minus(ExpireApprovalWorker.CLOCK_SKEW))
        .expireApproval(approval.id().toString());

    verify(approvals).settle(approval.id(), ApprovalStatus.EXPIRED, "timer", null, null);
  }

  @Test
  void aDecisionRecordedJustBeforeTheTimerStands() {
    Approval approval = stored(ApprovalStatus.APPROVED);
    settlesAs(approval, ApprovalStatus.APPROVED);

    Map<String, Object> out =
        workerAt(TestApprovals.EXPIRES_AT.plusSeconds(1)).expireApproval(approval.id().toString());

    assertThat(out).isEqualTo(Map.of(ApprovalGate.DECISION, "approved"));
  }

  @Test
  void anExpiryBeforeItsTimeIsRefused() {
    Approval approval = stored(ApprovalStatus.PENDING);

    assertRefused(() ->
            workerAt(
                    TestApprovals.EXPIRES_AT.minus(ExpireApprovalWorker.CLOCK_SKEW).minusSeconds(1))
                .expireApproval(approval.id().toString()))
        .contains("does not expire before " + TestApprovals.EXPIRES_AT);

    verify(approvals, never()).settle(any(), any(), any(), any(), any());
  }

  @Test
  void anApprovalThatDoesNotExistIsRefused() {
    UUID unknown = UUID.randomUUID();
    when(approvals.find(ApprovalId.of(unknown))).thenReturn(Optional.empty());

    assertRefused(() -> workerAt(TestApprovals.EXPIRES_AT).expireApproval(unknown.toString()))
        .contains("does not exist");
    assertRefused(() -> workerAt(TestApprovals.EXPIRES_AT).expireApproval("approval-1"))
        .contains(ApprovalGate.APPROVAL_ID);

    verify(approvals, never()).settle(any(), any(), any(), any(), any());
  }
}
