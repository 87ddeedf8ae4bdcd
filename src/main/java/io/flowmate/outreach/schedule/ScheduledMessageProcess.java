package io.flowmate.outreach.schedule;

import io.flowmate.core.schedule.OccurrencePlanner;

/**
 * Names shared by {@code bpmn/outreach-scheduled-message.bpmn}, its workers, its starter and its
 * tests. Renaming an element in Camunda Modeler without changing it here breaks the build, not
 * production.
 *
 * <p>Variables (ids and a date only): {@code tenantId}, {@code scheduleId} (also the correlation
 * key of {@link #CHANGED_MESSAGE}), {@code scheduleState} and {@code nextRunAt} (ISO-8601 instant
 * the timer waits for).
 */
final class ScheduledMessageProcess {

  static final String PROCESS_ID = "outreach-scheduled-message";

  static final String PLAN_JOB = "flowmate.outreach.plan-next-occurrence";
  static final String SEND_JOB = "flowmate.outreach.send-scheduled-message";

  /** Published after an edit, pause, resume or cancel: the instance reads the schedule again. */
  static final String CHANGED_MESSAGE = "outreach.schedule-changed";

  static final String START_EVENT = "ScheduleStarted";
  static final String REPLAN_GATEWAY = "Replan";
  static final String PLAN_TASK = "PlanNextOccurrence";
  static final String STATE_GATEWAY = "ScheduleState";
  static final String FINISHED_END = "ScheduleFinished";
  static final String AWAIT_GATEWAY = "AwaitOccurrence";
  static final String OCCURRENCE_TIMER = "OccurrenceDue";
  static final String SEND_TASK = "SendScheduledMessage";
  static final String CHANGED_EVENT = "ScheduleChanged";
  static final String CHANGED_WHILE_PAUSED_EVENT = "ScheduleChangedWhilePaused";
  static final String CHANGE_GATEWAY = "ChangeReceived";

  static final String TENANT_ID = "tenantId";
  static final String SCHEDULE_ID = "scheduleId";
  static final String SCHEDULE_STATE = "scheduleState";
  static final String NEXT_RUN_AT = "nextRunAt";

  /** {@link #SCHEDULE_STATE}: active, the timer waits for {@link #NEXT_RUN_AT}. */
  static final String WAITING = OccurrencePlanner.WAITING;

  /** {@link #SCHEDULE_STATE}: paused, waits for a change. */
  static final String PAUSED = OccurrencePlanner.PAUSED;

  /** {@link #SCHEDULE_STATE}: cancelled, completed or deleted; the instance ends. */
  static final String FINISHED = OccurrencePlanner.FINISHED;

  private ScheduledMessageProcess() {}
}
