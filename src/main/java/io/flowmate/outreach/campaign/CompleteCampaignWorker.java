package io.flowmate.outreach.campaign;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.messaging.Outbox;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Marks a campaign completed once none of its messages waits any more (each one sent, failed or
 * cancelled). A campaign paused at that very moment completes too: there is nothing left to hold.
 * Refused while any recipient is unplanned or any message waits (a step run out of turn).
 *
 * <p>In: {@code tenantId}, {@code campaignId}. Out: nothing.
 */
@Component
public class CompleteCampaignWorker {

  private final CampaignWork work;
  private final CampaignRepository campaigns;
  private final Outbox outbox;
  private final Clock clock;

  CompleteCampaignWorker(
      CampaignWork work, CampaignRepository campaigns, Outbox outbox, Clock clock) {
    this.work = work;
    this.campaigns = campaigns;
    this.outbox = outbox;
    this.clock = clock;
  }

  @JobWorker(type = CampaignProcess.COMPLETE_JOB)
  public void completeCampaign(
      @Variable(name = CampaignProcess.TENANT_ID) String tenantId,
      @Variable(name = CampaignProcess.CAMPAIGN_ID) String campaignId) {
    Campaign campaign = work.campaign(tenantId, campaignId);
    if (campaign.status().isFinished()) {
      return;
    }
    if (campaign.status() == CampaignStatus.PENDING
        || !campaign.allPlanned()
        || outbox.hasWaiting(campaign.origin())) {
      throw ForgedJob.refuse("campaign %s has messages still to send".formatted(campaign.id()));
    }
    campaigns.move(campaign.id(), CampaignStatus.Move.COMPLETE, null, clock.instant());
  }
}
