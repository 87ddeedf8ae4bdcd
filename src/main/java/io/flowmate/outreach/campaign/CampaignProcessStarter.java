package io.flowmate.outreach.campaign;

import io.flowmate.core.ApprovalId;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.ProcessBackedRows;
import io.flowmate.workflow.Processes;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives every unfinished campaign a live {@code outreach-campaign} instance: when it is created,
 * and again after the engine lost its instances (a restart of the embedded engine). PostgreSQL says
 * where the campaign stood, so the new instance starts there: at the approval (or its decision, if
 * it was decided meanwhile), or at planning, which resumes after the last recipient planned; a
 * paused campaign is paused again at once. Messages already in the outbox are not planned twice
 * (idempotency keys), so nothing is lost and nothing is sent twice.
 */
@Component
class CampaignProcessStarter {

  private final Processes processes;
  private final Approvals approvals;
  private final CampaignSignals signals;
  private final ProcessBackedRows<Campaign> rows;

  CampaignProcessStarter(
      Processes processes,
      Approvals approvals,
      CampaignRepository campaigns,
      CampaignSignals signals) {
    this.processes = processes;
    this.approvals = approvals;
    this.signals = signals;
    this.rows =
        new ProcessBackedRows<>(
            processes,
            "campaign",
            ProcessBackedRows.Table.of(
                Campaign::id,
                Campaign::processInstanceKey,
                Campaign::engineEpoch,
                campaigns::liveOutside,
                campaigns::claimForEpoch,
                campaigns::attachProcess),
            this::launch);
  }

  String epoch() {
    return rows.epoch();
  }

  /**
   * Starts the instance for a campaign already claimed for the current epoch; false if the engine
   * refused.
   */
  boolean startFor(Campaign campaign) {
    return rows.start(campaign);
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    rows.recreate();
  }

  /** Catches up with starts that failed (engine briefly unreachable). */
  @Scheduled(
      fixedDelayString = "${flowmate.outreach.reconcile-interval:1m}",
      initialDelayString = "${flowmate.outreach.reconcile-interval:1m}")
  int reconcile() {
    return rows.reconcile();
  }

  private Processes.StartedInstance launch(Campaign campaign) {
    Map<String, Object> variables = variables(campaign);
    Optional<Approval> approval =
        Optional.ofNullable(campaign.approvalId()).map(ApprovalId::of).flatMap(approvals::find);
    Processes.StartedInstance started;
    if (campaign.status() == CampaignStatus.PENDING && campaign.startedAt() == null) {
      if (approval.isPresent() && approval.get().status() != ApprovalStatus.PENDING) {
        variables.putAll(Approvals.decisionVariables(approval.get()));
        started =
            processes.startBefore(
                CampaignProcess.PROCESS_ID, CampaignProcess.DECISION_GATEWAY, variables);
      } else {
        started = processes.start(CampaignProcess.PROCESS_ID, variables);
      }
      long instance = started.processInstanceKey();
      approval.ifPresent(a -> approvals.attachProcess(a.id(), instance));
    } else {
      started =
          processes.startBefore(
              CampaignProcess.PROCESS_ID, CampaignProcess.PLAN_GATEWAY, variables);
    }
    if (campaign.status() == CampaignStatus.PAUSED) {
      // Signalled before the key is recorded: a message buffers until the new instance listens.
      signals.paused(campaign);
    }
    return started;
  }

  private Map<String, Object> variables(Campaign campaign) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(CampaignProcess.TENANT_ID, campaign.tenantId().toString());
    variables.put(CampaignProcess.CAMPAIGN_ID, campaign.id().toString());
    variables.put(CampaignProcess.REQUIRE_APPROVAL, campaign.approvalId() != null);
    variables.put(CampaignProcess.AUDIENCE_SIZE, campaign.totalRecipients());
    variables.put(CampaignProcess.CAMPAIGN_NAME, campaign.name() == null ? "" : campaign.name());
    variables.put(
        CampaignProcess.SAMPLE_MESSAGE,
        campaign.messageContent() == null ? "" : campaign.messageContent());
    if (campaign.approvalId() != null) {
      approvals
          .find(ApprovalId.of(campaign.approvalId()))
          .ifPresent(approval -> {
            variables.put(ApprovalGate.APPROVAL_ID, approval.id().toString());
            variables.put(
                ApprovalGate.EXPIRES_AT,
                approval.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString());
          });
    }
    return variables;
  }
}
