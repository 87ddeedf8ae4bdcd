package io.flowmate.outreach.campaign;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.messaging.Outbox;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Cancels a campaign and every message of it that has not left yet: after a rejected or expired
 * approval (the reason is the approver's), or when cancelled through the API (which already
 * cancelled the queue; this catches anything planned meanwhile). Safe to run twice. Refused for a
 * campaign neither cancelled through the API nor refused by its own approval.
 *
 * <p>In: {@code tenantId}, {@code campaignId}. Out: nothing.
 */
@Component
public class CancelCampaignWorker {

  private final CampaignWork work;
  private final CampaignRepository campaigns;
  private final Approvals approvals;
  private final Outbox outbox;
  private final Clock clock;

  CancelCampaignWorker(
      CampaignWork work,
      CampaignRepository campaigns,
      Approvals approvals,
      Outbox outbox,
      Clock clock) {
    this.work = work;
    this.campaigns = campaigns;
    this.approvals = approvals;
    this.outbox = outbox;
    this.clock = clock;
  }

  @JobWorker(type = CampaignProcess.CANCEL_JOB)
  public void cancelCampaign(
      @Variable(name = CampaignProcess.TENANT_ID) String tenantId,
      @Variable(name = CampaignProcess.CAMPAIGN_ID) String campaignId) {
    Campaign campaign = work.campaign(tenantId, campaignId);
    String reason = CampaignService.CANCELLED_BY_API;
    if (campaign.status() == CampaignStatus.PENDING && campaign.approvalId() != null) {
      Approval approval =
          approvals.forSubject(
              campaign.tenantId(),
              CampaignProcess.APPROVAL_KIND,
              campaign.id(),
              campaign.approvalId().toString());
      if (approval.status() != ApprovalStatus.REJECTED
          && approval.status() != ApprovalStatus.EXPIRED) {
        throw ForgedJob.refuse(
            "campaign %s: approval %s is %s"
                .formatted(campaign.id(), approval.id(), approval.status().value()));
      }
      reason = reason(approval);
    } else if (campaign.status() != CampaignStatus.CANCELLED) {
      throw ForgedJob.refuse("campaign %s was not cancelled".formatted(campaign.id()));
    }
    campaigns.move(campaign.id(), CampaignStatus.Move.CANCEL, reason, clock.instant());
    outbox.cancel(campaign.origin(), "campaign cancelled");
  }

  private static String reason(Approval approval) {
    return approval.status() == ApprovalStatus.EXPIRED
        ? "approval expired"
        : "rejected: " + (approval.reason() == null ? "no reason given" : approval.reason());
  }
}
