package io.flowmate.outreach;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts sending: puts the approver's edited text in place of the campaign's (an edited text
 * replaces the spin variants too: the approver approved exactly that text), and marks the
 * campaign running. Safe to run twice.
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
    String editedText =
        campaign.approvalId() == null
            ? null
            : approvals.find(campaign.approvalId())
                .filter(a -> a.status() == ApprovalStatus.APPROVED)
                .map(a -> a.editedText())
                .orElse(null);
    transaction.executeWithoutResult(
        status -> {
          if (campaigns.transition(campaign.id(), List.of(CampaignStatus.PENDING), CampaignStatus.RUNNING, null,
                  clock.instant())
              && editedText != null) {
            campaigns.replaceContent(campaign.id(), editedText, clock.instant());
          }
        });
  }
}
