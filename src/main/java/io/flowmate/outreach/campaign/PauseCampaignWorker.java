package io.flowmate.outreach.campaign;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.messaging.Outbox;
import org.springframework.stereotype.Component;

/**
 * Holds a paused campaign's queued messages back from the number's send lane. A message already
 * handed to WhatsApp is not recalled. Safe to run twice.
 *
 * <p>In: {@code tenantId}, {@code campaignId}. Out: nothing.
 */
@Component
public class PauseCampaignWorker {

  private final CampaignWork work;
  private final Outbox outbox;

  PauseCampaignWorker(CampaignWork work, Outbox outbox) {
    this.work = work;
    this.outbox = outbox;
  }

  @JobWorker(type = CampaignProcess.PAUSE_JOB)
  public void pauseCampaign(
      @Variable(name = CampaignProcess.TENANT_ID) String tenantId,
      @Variable(name = CampaignProcess.CAMPAIGN_ID) String campaignId) {
    Campaign campaign = work.campaign(tenantId, campaignId);
    if (campaign.status() == CampaignStatus.PAUSED) {
      outbox.hold(campaign.origin());
    }
  }
}
