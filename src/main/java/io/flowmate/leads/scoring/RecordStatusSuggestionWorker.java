package io.flowmate.leads.scoring;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.leads.pipeline.LeadStatus;
import io.flowmate.leads.pipeline.LeadStatusTransitions;
import io.flowmate.workflow.ForgedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Shows on the lead the status the decision suggests for its score (none when the decision keeps
 * the status or refuses), and frees the lead for its next scoring. Safe to run twice.
 *
 * <p>In: {@code tenantId}, {@code leadId}, {@code currentStatus}, {@code suggestion} (the
 * decision's {@code {allowed, status, reason}}). Out: nothing.
 */
@Component
public class RecordStatusSuggestionWorker {

  private final LeadScoring scoring;

  RecordStatusSuggestionWorker(LeadScoring scoring) {
    this.scoring = scoring;
  }

  @JobWorker(type = LeadScoringProcess.RECORD_STATUS_SUGGESTION_JOB)
  public void recordStatusSuggestion(
      @Variable(name = LeadScoringProcess.TENANT_ID) String tenantId,
      @Variable(name = LeadScoringProcess.LEAD_ID) String leadId,
      @Variable(name = LeadStatusTransitions.CURRENT_STATUS) String currentStatus,
      @Variable(name = LeadScoringProcess.SUGGESTION) Map<String, Object> suggestion) {
    LeadStatus current = currentStatus == null ? null : LeadStatus.of(currentStatus);
    LeadStatus suggested = null;
    if (current != null
        && suggestion != null
        && Boolean.TRUE.equals(suggestion.get("allowed"))
        && suggestion.get("status") instanceof String status) {
      suggested = LeadStatus.parse(status);
    }
    scoring.suggest(
        TenantId.of(ForgedJob.uuid(LeadScoringProcess.TENANT_ID, tenantId)),
        ForgedJob.uuid(LeadScoringProcess.LEAD_ID, leadId),
        current,
        suggested);
  }
}
