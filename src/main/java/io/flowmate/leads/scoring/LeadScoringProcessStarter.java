package io.flowmate.leads.scoring;

import io.flowmate.leads.pipeline.LeadActivityRepository;
import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.Processes;
import io.flowmate.workflow.Reconciliation;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives every lead whose activity changed since it was last scored (new leads included) a {@code
 * leads-lead-scoring} instance, one at a time per lead: many messages from a lead while it is
 * being scored lead to one more scoring, not one per message. The same loop re-creates instances
 * the engine lost.
 */
@Component
public class LeadScoringProcessStarter {

  private static final Logger log = LoggerFactory.getLogger(LeadScoringProcessStarter.class);

  private final Processes processes;
  private final LeadActivityRepository leads;

  LeadScoringProcessStarter(Processes processes, LeadActivityRepository leads) {
    this.processes = processes;
    this.leads = leads;
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    startDue();
  }

  @Scheduled(
      fixedDelayString = "${flowmate.leads.scoring.interval:2s}",
      initialDelayString = "${flowmate.leads.scoring.interval:2s}")
  public int startDue() {
    return Reconciliation.run(
        processes.epoch(),
        new Reconciliation.Owner<LeadActivityRepository.ScoringDue>() {
          @Override
          public java.util.List<LeadActivityRepository.ScoringDue> outside(String epoch, int limit) {
            return leads.scoringDueOutside(epoch, limit);
          }

          @Override
          public boolean claim(LeadActivityRepository.ScoringDue lead, String epoch) {
            return leads.claimScoring(lead.id(), lead.engineEpoch(), epoch);
          }

          @Override
          public boolean start(LeadActivityRepository.ScoringDue lead) {
            try {
              Processes.StartedInstance started =
                  processes.start(
                      LeadScoringProcess.PROCESS_ID,
                      Map.of(
                          LeadScoringProcess.TENANT_ID, lead.tenantId().toString(),
                          LeadScoringProcess.LEAD_ID, lead.id().toString()));
              leads.attachScoring(lead.id(), started.processInstanceKey(), started.epoch());
              return true;
            } catch (RuntimeException e) {
              log.warn("Could not start scoring lead {}; retrying later: {}", lead.id(), e.getMessage());
              leads.attachScoring(lead.id(), null, null);
              return false;
            }
          }
        });
  }
}
