package io.flowmate.outreach.campaign;

import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.Processes;
import io.flowmate.workflow.Reconciliation;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives every unfinished campaign a live {@code outreach-campaign} instance: when it is created,
 * and again after the engine lost its instances (a restart of the embedded engine). PostgreSQL
 * says where the campaign stood, so the new instance starts there: at the approval (or its
 * decision, if it was decided meanwhile), or at planning, which resumes after the last recipient
 * planned; a paused campaign is paused again at once. Messages already in the outbox are not
 * planned twice (idempotency keys), so nothing is lost and nothing is sent twice.
 */
@Component
class CampaignProcessStarter {

  private static final Logger log = LoggerFactory.getLogger(CampaignProcessStarter.class);

  private final Processes processes;
  private final Approvals approvals;
  private final CampaignRepository campaigns;
  private final CampaignSignals signals;

  CampaignProcessStarter(
      Processes processes, Approvals approvals, CampaignRepository campaigns, CampaignSignals signals) {
    this.processes = processes;
    this.approvals = approvals;
    this.campaigns = campaigns;
    this.signals = signals;
  }

  String epoch() {
    return processes.epoch();
  }

  /** Starts the instance for a campaign already claimed for the current epoch; false if the engine refused. */
  boolean startFor(Campaign campaign) {
    try {
      Map<String, Object> variables = variables(campaign);
      Optional<Approval> approval = Optional.ofNullable(campaign.approvalId()).flatMap(approvals::find);
      Processes.StartedInstance started;
      if (campaign.status() == CampaignStatus.PENDING && campaign.startedAt() == null) {
        if (approval.isPresent() && approval.get().status() != ApprovalStatus.PENDING) {
          variables.putAll(Approvals.decisionVariables(approval.get()));
          started = processes.startBefore(CampaignProcess.PROCESS_ID, CampaignProcess.DECISION_GATEWAY, variables);
        } else {
          started = processes.start(CampaignProcess.PROCESS_ID, variables);
        }
        long instance = started.processInstanceKey();
        approval.ifPresent(a -> approvals.attachProcess(a.id(), instance));
      } else {
        started = processes.startBefore(CampaignProcess.PROCESS_ID, CampaignProcess.PLAN_GATEWAY, variables);
      }
      campaigns.attachProcess(campaign.id(), started.processInstanceKey(), started.epoch());
      if (campaign.status() == CampaignStatus.PAUSED) {
        signals.paused(campaign);
      }
      return true;
    } catch (RuntimeException e) {
      log.warn("Could not start the process of campaign {}; retrying later: {}", campaign.id(), e.getMessage());
      campaigns.attachProcess(campaign.id(), null, null);
      return false;
    }
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    int restarted = reconcile();
    if (restarted > 0) {
      log.info("Re-created the process of {} campaign(s)", restarted);
    }
  }

  /** Catches up with starts that failed (engine briefly unreachable). */
  @Scheduled(fixedDelayString = "${flowmate.outreach.reconcile-interval:1m}",
      initialDelayString = "${flowmate.outreach.reconcile-interval:1m}")
  int reconcile() {
    return Reconciliation.run(
        processes.epoch(),
        new Reconciliation.Owner<Campaign>() {
          @Override
          public List<Campaign> outside(String epoch, int limit) {
            return campaigns.liveOutside(epoch, limit);
          }

          @Override
          public boolean claim(Campaign campaign, String epoch) {
            return campaigns.claimForEpoch(campaign.id(), campaign.engineEpoch(), epoch);
          }

          @Override
          public boolean start(Campaign campaign) {
            return startFor(campaign);
          }
        });
  }

  private Map<String, Object> variables(Campaign campaign) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(CampaignProcess.TENANT_ID, campaign.tenantId().toString());
    variables.put(CampaignProcess.CAMPAIGN_ID, campaign.id().toString());
    variables.put(CampaignProcess.REQUIRE_APPROVAL, campaign.approvalId() != null);
    variables.put(CampaignProcess.AUDIENCE_SIZE, campaign.totalRecipients());
    variables.put(CampaignProcess.CAMPAIGN_NAME, campaign.name() == null ? "" : campaign.name());
    variables.put(CampaignProcess.SAMPLE_MESSAGE, campaign.messageContent() == null ? "" : campaign.messageContent());
    if (campaign.approvalId() != null) {
      approvals.find(campaign.approvalId())
          .ifPresent(
              approval -> {
                variables.put(ApprovalGate.APPROVAL_ID, approval.id().toString());
                variables.put(
                    ApprovalGate.EXPIRES_AT, approval.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString());
              });
    }
    return variables;
  }
}
