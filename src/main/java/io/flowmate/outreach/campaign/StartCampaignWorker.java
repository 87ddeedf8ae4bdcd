package io.flowmate.outreach.campaign;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts sending: puts the approver's edited text in place of the campaign's (an edited text
 * replaces the spin variants too: the approver approved exactly that text), and marks the campaign
 * running. Safe to run twice. A pending campaign that needs approval starts only once its own
 * approval is approved; an instance started at this step with forged variables is refused.
 *
 * <p>In: {@code tenantId}, {@code campaignId}. Out: nothing.
 */
@Component
public class StartCampaignWorker {

  private final CampaignWork work;
  private final CampaignRepository campaigns;
  private final Approvals approvals;
  private final TransactionTemplate transaction;
  private final Clock clock;

  StartCampaignWorker(
      CampaignWork work,
      CampaignRepository campaigns,
      Approvals approvals,
      TransactionTemplate transaction,
      Clock clock) {
    this.work = work;
    this.campaigns = campaigns;
    this.approvals = approvals;
    this.transaction = transaction;
    this.clock = clock;
  }

  @JobWorker(type = CampaignProcess.START_JOB)
  public void startCampaign(
      @Variable(name = CampaignProcess.TENANT_ID) String tenantId,
      @Variable(name = CampaignProcess.CAMPAIGN_ID) String campaignId) {
    Campaign campaign = work.campaign(tenantId, campaignId);
    if (campaign.status() != CampaignStatus.PENDING) {
      // Already started (a retried job), or cancelled meanwhile: nothing to do.
      return;
    }
    String editedText = null;
    if (campaign.approvalId() != null) {
      Approval approval =
          approvals.forSubject(
              campaign.tenantId(),
              CampaignProcess.APPROVAL_KIND,
              campaign.id(),
              campaign.approvalId().toString());
      if (approval.status() != ApprovalStatus.APPROVED) {
        throw ForgedJob.refuse(
            "campaign %s waits for approval %s, which is %s"
                .formatted(campaign.id(), approval.id(), approval.status().value()));
      }
      editedText = approval.editedText();
    }
    String replacement = editedText;
    transaction.executeWithoutResult(status -> {
      if (campaigns.move(campaign.id(), CampaignStatus.Move.START, null, clock.instant())
          && replacement != null) {
        campaigns.replaceContent(campaign.id(), replacement, clock.instant());
      }
    });
  }
}
