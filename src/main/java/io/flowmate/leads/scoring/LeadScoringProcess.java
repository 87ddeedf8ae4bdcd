package io.flowmate.leads.scoring;

/**
 * Names shared by {@code bpmn/leads-lead-scoring.bpmn}, its workers, its starter and its tests.
 *
 * <p>Variables (ids and the decision's inputs only): {@code tenantId}, {@code leadId}, {@code
 * currentStatus}, {@code event}, {@code requestedStatus}, {@code score}, and the decision's result
 * {@code suggestion} ({@code {allowed, status, reason}}).
 */
final class LeadScoringProcess {

  static final String PROCESS_ID = "leads-lead-scoring";

  static final String SCORE_LEAD_JOB = "flowmate.leads.score-lead";
  static final String RECORD_STATUS_SUGGESTION_JOB = "flowmate.leads.record-status-suggestion";

  static final String START_EVENT = "LeadToScore";
  static final String SCORE_TASK = "ScoreLead";
  static final String SUGGEST_TASK = "SuggestStatus";
  static final String RECORD_TASK = "RecordStatusSuggestion";
  static final String END_EVENT = "LeadScored";

  static final String TENANT_ID = "tenantId";
  static final String LEAD_ID = "leadId";
  static final String SUGGESTION = "suggestion";

  private LeadScoringProcess() {}
}
