package io.flowmate.leads.scoring;

import io.flowmate.leads.pipeline.LeadActivityRepository;
import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.ProcessBackedRows;
import io.flowmate.workflow.Processes;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives every lead whose activity changed since it was last scored (new leads included) a {@code
 * leads-lead-scoring} instance, one at a time per lead: many messages from a lead while it is being
 * scored lead to one more scoring, not one per message. The same loop re-creates instances the
 * engine lost.
 */
@Component
public class LeadScoringProcessStarter {

  private final Processes processes;
  private final ProcessBackedRows<LeadActivityRepository.ScoringDue> rows;

  LeadScoringProcessStarter(Processes processes, LeadActivityRepository leads) {
    this.processes = processes;
    this.rows =
        new ProcessBackedRows<>(
            processes,
            "lead scoring",
            ProcessBackedRows.Table.of(
                LeadActivityRepository.ScoringDue::id,
                LeadActivityRepository.ScoringDue::processInstanceKey,
                LeadActivityRepository.ScoringDue::engineEpoch,
                leads::scoringDueOutside,
                leads::claimScoring,
                leads::attachScoring),
            this::launch);
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    rows.reconcile();
  }

  @Scheduled(
      fixedDelayString = "${flowmate.leads.scoring.interval:2s}",
      initialDelayString = "${flowmate.leads.scoring.interval:2s}")
  public int startDue() {
    return rows.reconcile();
  }

  private Processes.StartedInstance launch(LeadActivityRepository.ScoringDue lead) {
    return processes.start(
        LeadScoringProcess.PROCESS_ID,
        Map.of(
            LeadScoringProcess.TENANT_ID, lead.tenantId().toString(),
            LeadScoringProcess.LEAD_ID, lead.id().toString()));
  }
}
