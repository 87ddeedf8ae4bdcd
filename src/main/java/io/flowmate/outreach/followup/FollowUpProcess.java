package io.flowmate.outreach.followup;

/**
 * Names shared by {@code bpmn/outreach-follow-up.bpmn}, its workers, its starter and its tests.
 * Renaming an element in Camunda Modeler without changing it here breaks the build, not production.
 *
 * <p>Variables (ids and counters only): {@code tenantId}, {@code followUpId}, {@code round}
 * (follow-ups sent so far), {@code maxRounds}, {@code waitDuration} (ISO-8601, the timer of the
 * current round), {@code outcome} (what <i>Send follow-up</i> did: {@code sent}, {@code replied} or
 * {@code ended}).
 */
final class FollowUpProcess {

  static final String PROCESS_ID = "outreach-follow-up";

  static final String SEND_FOLLOW_UP_JOB = "flowmate.outreach.send-follow-up";
  static final String STOP_FOLLOW_UP_JOB = "flowmate.outreach.stop-follow-up";
  static final String COMPLETE_FOLLOW_UP_JOB = "flowmate.outreach.complete-follow-up";

  /** Published when the contact writes; correlated by the follow-up's id. */
  static final String REPLY_MESSAGE = "outreach-follow-up-reply";

  static final String START_EVENT = "FollowUpStarted";
  static final String AWAIT_JOIN = "AwaitReply";
  static final String REPLY_OR_WAIT_GATEWAY = "ReplyOrWait";
  static final String REPLY_EVENT = "ReplyReceived";
  static final String WAIT_TIMER = "WaitElapsed";
  static final String SEND_TASK = "SendFollowUp";
  static final String SEND_OUTCOME_GATEWAY = "SendOutcome";
  static final String MORE_ROUNDS_GATEWAY = "MoreRounds";
  static final String REPLY_JOIN = "ReplyKnown";
  static final String STOP_TASK = "StopFollowUp";
  static final String COMPLETE_TASK = "CompleteFollowUp";
  static final String REPLIED_END = "FollowUpReplied";
  static final String COMPLETED_END = "FollowUpCompleted";
  static final String ENDED_END = "FollowUpEnded";

  static final String TENANT_ID = "tenantId";
  static final String FOLLOW_UP_ID = "followUpId";
  static final String ROUND = "round";
  static final String MAX_ROUNDS = "maxRounds";
  static final String WAIT_DURATION = "waitDuration";
  static final String OUTCOME = "outcome";

  /** Values of {@link #OUTCOME}. */
  static final String SENT = "sent";

  static final String REPLIED = "replied";
  static final String ENDED = "ended";

  /**
   * How follow-up messages are tagged in the outbox ({@code Origin.kind}, the message's source).
   */
  static final String ORIGIN_KIND = "follow_up";

  private FollowUpProcess() {}
}
