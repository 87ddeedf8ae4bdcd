package io.flowmate.workflow.approval;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.exception.JobError;
import io.flowmate.core.ApprovalId;
import io.flowmate.core.TenantId;
import io.flowmate.support.TestApprovals;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * {@link TrackApprovalTaskWorker} without engine or database: the user task's listener attaches the
 * task to its approval, completes its own job first and only then the user task (which the engine
 * refuses while the listener runs); an instance that does not own the approval is retried a few
 * times, then stops at an incident.
 */
class TrackApprovalTaskWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final long INSTANCE = 2251799813685249L;
  private static final long USER_TASK = 2251799813685260L;

  private final Approvals approvals = mock(Approvals.class);
  private final JobClient client = mock(JobClient.class, RETURNS_DEEP_STUBS);
  private final ActivatedJob job = mock(ActivatedJob.class);
  private final TrackApprovalTaskWorker worker = new TrackApprovalTaskWorker(approvals);
  private final Approval approval =
      TestApprovals.approval(TENANT, "campaign", UUID.randomUUID(), ApprovalStatus.PENDING);
  private final Map<String, String> headers =
      Map.of(TrackApprovalTaskWorker.USER_TASK_KEY_HEADER, Long.toString(USER_TASK));

  @BeforeEach
  void listenerJob() {
    when(job.getProcessInstanceKey()).thenReturn(INSTANCE);
    when(job.getRetries()).thenReturn(3);
    when(approvals.find(approval.id())).thenReturn(Optional.of(approval));
  }

  @Test
  void theOwningInstanceAttachesItsTaskThenCompletesItsJobThenTheTask() {
    when(approvals.attachUserTask(approval.id(), USER_TASK, INSTANCE)).thenReturn(true);

    worker.trackApprovalTask(client, job, approval.id().toString(), headers);

    InOrder order = inOrder(approvals, client);
    order.verify(approvals).attachUserTask(approval.id(), USER_TASK, INSTANCE);
    order.verify(client).newCompleteCommand(job);
    order.verify(approvals).completeUserTask(approval);
  }

  @Test
  void anotherInstanceIsRetriedWithABackOffAndNeverCompletes() {
    when(approvals.attachUserTask(approval.id(), USER_TASK, INSTANCE)).thenReturn(false);

    JobError error =
        catchThrowableOfType(
            JobError.class,
            () -> worker.trackApprovalTask(client, job, approval.id().toString(), headers));

    assertThat(error.getRetries()).isEqualTo(2);
    assertThat(error.getRetryBackoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(error.getMessage()).contains("tracked by another instance");
    verifyNoInteractions(client);
    verify(approvals, never()).completeUserTask(approval);
  }

  @Test
  void anApprovalThatDoesNotExistIsRefusedAtOnce() {
    UUID unknown = UUID.randomUUID();
    when(approvals.find(ApprovalId.of(unknown))).thenReturn(Optional.empty());

    assertRefused(() -> worker.trackApprovalTask(client, job, unknown.toString(), headers))
        .contains("does not exist");

    verify(approvals, never())
        .attachUserTask(org.mockito.ArgumentMatchers.any(), anyLong(), anyLong());
    verifyNoInteractions(client);
  }
}
