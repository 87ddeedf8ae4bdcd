package io.flowmate.workflow.approval;

import io.camunda.client.annotation.CustomHeaders;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.exception.CamundaError;
import io.flowmate.core.ApprovalId;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The {@code creating} task listener of every approval user task: remembers the task's key so that
 * API decisions can complete it, and completes it right away when the decision was recorded before
 * the task existed (an approval decided while the engine was restarting). Only the first instance
 * of an engine that tracks an approval owns it; another is refused.
 *
 * <p>In: {@code approvalId}; header {@code io.camunda.zeebe:userTaskKey}. Out: nothing.
 */
@Component
public class TrackApprovalTaskWorker {

  static final String USER_TASK_KEY_HEADER = "io.camunda.zeebe:userTaskKey";
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);

  private final Approvals approvals;

  TrackApprovalTaskWorker(Approvals approvals) {
    this.approvals = approvals;
  }

  @JobWorker(type = ApprovalGate.TRACK_TASK_JOB, autoComplete = false)
  public void trackApprovalTask(
      JobClient client,
      ActivatedJob job,
      @Variable(name = ApprovalGate.APPROVAL_ID) String approvalId,
      @CustomHeaders Map<String, String> headers) {
    UUID id = ForgedJob.uuid(ApprovalGate.APPROVAL_ID, approvalId);
    long userTaskKey = Long.parseLong(headers.get(USER_TASK_KEY_HEADER));
    if (approvals.find(ApprovalId.of(id)).isEmpty()) {
      throw ForgedJob.refuse("approval %s does not exist".formatted(id));
    }
    // An instance started with this approval's id by someone else must not take its task over.
    // Retried a few times first: the instance Flowmate started may be recorded a moment later.
    if (!approvals.attachUserTask(ApprovalId.of(id), userTaskKey, job.getProcessInstanceKey())) {
      throw CamundaError.jobError(
          "Refused: approval %s is tracked by another instance of this engine".formatted(id),
          Map.of(),
          job.getRetries() - 1,
          RETRY_BACKOFF);
    }
    // The task only becomes completable once this listener job is done.
    client.newCompleteCommand(job).send().join();
    approvals.find(ApprovalId.of(id)).ifPresent(approvals::completeUserTask);
  }
}
