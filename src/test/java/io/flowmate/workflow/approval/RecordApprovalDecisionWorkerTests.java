package io.flowmate.workflow.approval;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.camunda.client.api.response.ActivatedJob;
import io.flowmate.core.ApprovalId;
import io.flowmate.core.TenantId;
import io.flowmate.support.TestApprovals;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * {@link RecordApprovalDecisionWorker} without engine or database: a Tasklist decision is recorded
 * only from the instance whose user task the approval tracks; anything but "approved" counts as a
 * rejection; the decision that stands (perhaps an earlier API decision) goes back to the process.
 */
class RecordApprovalDecisionWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final long INSTANCE = 2251799813685249L;

  private final Approvals approvals = mock(Approvals.class);
  private final ActivatedJob job = mock(ActivatedJob.class);
  private final RecordApprovalDecisionWorker worker = new RecordApprovalDecisionWorker(approvals);
  private final Approval pending =
      TestApprovals.approval(TENANT, "message", UUID.randomUUID(), ApprovalStatus.PENDING);

  @BeforeEach
  void instanceTracksTheApproval() {
    when(job.getProcessInstanceKey()).thenReturn(INSTANCE);
    when(approvals.find(pending.id())).thenReturn(Optional.of(pending));
    when(approvals.isTrackedBy(pending, INSTANCE)).thenReturn(true);
    when(approvals.settle(eq(pending.id()), any(), eq("tasklist"), any(), any()))
        .thenAnswer(call ->
            TestApprovals.decided(
                pending.id(),
                TENANT,
                "message",
                pending.subjectId(),
                call.getArgument(1),
                call.getArgument(3),
                call.getArgument(4)));
  }

  private Map<String, Object> record(String decision, String editedText, String reason) {
    return worker.recordApprovalDecision(
        job, pending.id().toString(), decision, editedText, reason);
  }

  @Test
  void anApprovalWithAnEditRecordsTheText() {
    assertThat(record("approved", "See you at 10", "ignored"))
        .isEqualTo(Map.of(ApprovalGate.DECISION, "approved"));

    verify(approvals)
        .settle(pending.id(), ApprovalStatus.APPROVED, "tasklist", "See you at 10", null);
  }

  @Test
  void aBlankEditIsNoEdit() {
    record("approved", "   ", null);

    verify(approvals).settle(pending.id(), ApprovalStatus.APPROVED, "tasklist", null, null);
  }

  @Test
  void anOverlongEditIsCutToTheLimit() {
    record("approved", "x".repeat(Approvals.MAX_TEXT_LENGTH + 10), null);

    ArgumentCaptor<String> text = ArgumentCaptor.forClass(String.class);
    verify(approvals)
        .settle(
            eq(pending.id()),
            eq(ApprovalStatus.APPROVED),
            eq("tasklist"),
            text.capture(),
            isNull());
    assertThat(text.getValue()).hasSize(Approvals.MAX_TEXT_LENGTH);
  }

  @Test
  void aRejectionKeepsItsTrimmedReasonAndDropsTheEdit() {
    assertThat(record("rejected", "edited anyway", "  off-brand  "))
        .isEqualTo(Map.of(ApprovalGate.DECISION, "rejected"));

    verify(approvals).settle(pending.id(), ApprovalStatus.REJECTED, "tasklist", null, "off-brand");
  }

  @Test
  void aRejectionWithoutReasonSaysWhereItCameFrom() {
    record("rejected", null, " ");

    verify(approvals)
        .settle(pending.id(), ApprovalStatus.REJECTED, "tasklist", null, "rejected in Tasklist");
  }

  @Test
  void anythingButApprovedRejects() {
    record(null, "edited", null);
    record("APPROVED ", "edited", null);

    verify(approvals, org.mockito.Mockito.times(2))
        .settle(pending.id(), ApprovalStatus.REJECTED, "tasklist", null, "rejected in Tasklist");
    verify(approvals, never()).settle(any(), eq(ApprovalStatus.APPROVED), any(), any(), any());
  }

  @Test
  void theDecisionRecordedFirstIsTheOneReturned() {
    // An API rejection was recorded before the Tasklist approval: settle keeps it.
    when(approvals.settle(pending.id(), ApprovalStatus.APPROVED, "tasklist", null, null))
        .thenReturn(
            TestApprovals.decided(
                pending.id(),
                TENANT,
                "message",
                pending.subjectId(),
                ApprovalStatus.REJECTED,
                null,
                "by API"));

    assertThat(record("approved", null, null)).isEqualTo(Map.of(ApprovalGate.DECISION, "rejected"));
  }

  @Test
  void anotherInstanceCannotDecide() {
    when(approvals.isTrackedBy(pending, INSTANCE)).thenReturn(false);

    assertRefused(() -> record("approved", null, null))
        .contains("not decided in process instance " + INSTANCE);

    verify(approvals, never()).settle(any(), any(), any(), any(), any());
  }

  @Test
  void anApprovalThatDoesNotExistIsRefused() {
    UUID unknown = UUID.randomUUID();
    when(approvals.find(ApprovalId.of(unknown))).thenReturn(Optional.empty());

    assertRefused(
            () -> worker.recordApprovalDecision(job, unknown.toString(), "approved", null, null))
        .contains("does not exist");

    verify(approvals, never()).settle(any(), any(), any(), any(), any());
  }
}
