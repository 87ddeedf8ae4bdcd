package io.flowmate.workflow;

/**
 * The approval pattern every BPMN with a human gate follows, and the names it shares with this
 * module's workers.
 *
 * <p>A user task ({@code zeebe:userTask}, candidate group {@value #CANDIDATE_GROUP}) carries a
 * {@code creating} task listener of type {@value #TRACK_TASK_JOB} and an interrupting boundary
 * timer at {@code =date and time(approvalExpiresAt)} leading to a task of type {@value
 * #EXPIRE_JOB}. After the user task comes a task of type {@value #RECORD_DECISION_JOB}. Both end in
 * a gateway on {@value #DECISION}. The decision itself lives in PostgreSQL; a Tasklist user who
 * completes the form sets {@value #DECISION}, {@value #EDITED_TEXT} and {@value #REJECTION_REASON},
 * which the record-decision task copies there.
 */
public final class ApprovalGate {

  public static final String TRACK_TASK_JOB = "flowmate.workflow.track-approval-task";
  public static final String RECORD_DECISION_JOB = "flowmate.workflow.record-approval-decision";
  public static final String EXPIRE_JOB = "flowmate.workflow.expire-approval";

  public static final String CANDIDATE_GROUP = "approvers";

  /** Variable: the approval's id (a UUID string). */
  public static final String APPROVAL_ID = "approvalId";

  /** Variable: when the approval expires (ISO-8601 date-time), read by the boundary timer. */
  public static final String EXPIRES_AT = "approvalExpiresAt";

  /** Variable: {@code approved}, {@code rejected} or {@code expired}. */
  public static final String DECISION = "approvalDecision";

  /** Variable set by the Tasklist form only: the approver's edited text. */
  public static final String EDITED_TEXT = "editedText";

  /** Variable set by the Tasklist form only: why the approver rejected. */
  public static final String REJECTION_REASON = "rejectionReason";

  private ApprovalGate() {}
}
