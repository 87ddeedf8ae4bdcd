package io.flowmate.analytics.report;

import io.flowmate.core.schedule.OccurrencePlanner;

/**
 * Names shared by {@code bpmn/analytics-report.bpmn}, its workers, its starter and its tests.
 * Renaming an element in Camunda Modeler without changing it here breaks the build, not production.
 *
 * <p>Variables (ids and a date only): {@code tenantId}, {@code reportId} (also the correlation key
 * of {@link #CHANGED_MESSAGE}), {@code reportState} and {@code nextRunAt} (ISO-8601 instant the
 * timer waits for).
 */
final class ReportProcess {

  static final String PROCESS_ID = "analytics-report";

  static final String PLAN_JOB = "flowmate.analytics.plan-report-run";
  static final String GENERATE_JOB = "flowmate.analytics.generate-report";

  /**
   * Published after an edit, pause, resume, cancel or delete: the instance reads the report again.
   */
  static final String CHANGED_MESSAGE = "analytics.report-changed";

  static final String START_EVENT = "ReportScheduled";
  static final String REPLAN_GATEWAY = "Replan";
  static final String PLAN_TASK = "PlanReportRun";
  static final String STATE_GATEWAY = "ReportState";
  static final String FINISHED_END = "ReportFinished";
  static final String AWAIT_GATEWAY = "AwaitRun";
  static final String RUN_TIMER = "RunDue";
  static final String GENERATE_TASK = "GenerateReport";
  static final String CHANGED_EVENT = "ReportChanged";
  static final String CHANGED_WHILE_PAUSED_EVENT = "ReportChangedWhilePaused";
  static final String CHANGE_GATEWAY = "ChangeReceived";

  static final String TENANT_ID = "tenantId";
  static final String REPORT_ID = "reportId";
  static final String REPORT_STATE = "reportState";
  static final String NEXT_RUN_AT = "nextRunAt";

  /** {@link #REPORT_STATE}: active, the timer waits for {@link #NEXT_RUN_AT}. */
  static final String WAITING = OccurrencePlanner.WAITING;

  /** {@link #REPORT_STATE}: paused, waits for a change. */
  static final String PAUSED = OccurrencePlanner.PAUSED;

  /** {@link #REPORT_STATE}: cancelled, completed or deleted; the instance ends. */
  static final String FINISHED = OccurrencePlanner.FINISHED;

  private ReportProcess() {}
}
