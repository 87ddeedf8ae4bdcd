package io.flowmate.leads.scoring;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.TenantId;
import io.flowmate.leads.pipeline.LeadStatusTransitions;
import io.flowmate.workflow.ForgedJob;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Scores the lead and hands the status decision its inputs. Safe to run twice: it scores the lead
 * as it is now.
 *
 * <p>In: {@code tenantId}, {@code leadId}. Out: {@code currentStatus}, {@code event} ({@code
 * scored}), {@code requestedStatus} (null), {@code score}; for a lead that no longer exists {@code
 * currentStatus} and {@code score} are null.
 */
@Component
public class ScoreLeadWorker {

  private final LeadScoring scoring;

  ScoreLeadWorker(LeadScoring scoring) {
    this.scoring = scoring;
  }

  @JobWorker(type = LeadScoringProcess.SCORE_LEAD_JOB)
  public Map<String, Object> scoreLead(
      @Variable(name = LeadScoringProcess.TENANT_ID) String tenantId,
      @Variable(name = LeadScoringProcess.LEAD_ID) String leadId) {
    Map<String, Object> decisionInputs = new HashMap<>();
    decisionInputs.put(LeadStatusTransitions.EVENT, LeadStatusTransitions.Event.SCORED.value());
    decisionInputs.put(LeadStatusTransitions.REQUESTED_STATUS, null);
    decisionInputs.put(LeadStatusTransitions.CURRENT_STATUS, null);
    decisionInputs.put(LeadStatusTransitions.SCORE, null);
    scoring
        .score(
            TenantId.of(ForgedJob.uuid(LeadScoringProcess.TENANT_ID, tenantId)),
            ForgedJob.uuid(LeadScoringProcess.LEAD_ID, leadId))
        .ifPresent(scored -> {
          decisionInputs.put(LeadStatusTransitions.CURRENT_STATUS, scored.status().value());
          decisionInputs.put(LeadStatusTransitions.SCORE, scored.score());
        });
    return decisionInputs;
  }
}
