package io.flowmate.outreach.campaign;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.messaging.Outbox;
import org.springframework.stereotype.Component;

/**
 * Queues a resumed campaign's held messages again and wakes the number's send lane; they go at the
 * governor's pace and the campaign's delay range, as before the pause. Safe to run twice.
 *
 * <p>In: {@code tenantId}, {@code campaignId}. Out: nothing.
 */
@Component
public class ResumeCampaignWorker {

  private final CampaignWork work;
  private final Outbox outbox;

  ResumeCampaignWorker(CampaignWork work, Outbox outbox) {
    this.work = work;
    this.outbox = outbox;
  }

  @JobWorker(type = CampaignProcess.RESUME_JOB)
  public void resumeCampaign(
      @Variable(name = CampaignProcess.TENANT_ID) String tenantId,
      @Variable(name = CampaignProcess.CAMPAIGN_ID) String campaignId) {
    Campaign campaign = work.campaign(tenantId, campaignId);
    // Only a resumed (running) campaign: not one pending approval or finished.
    if (campaign.status() == CampaignStatus.RUNNING) {
      outbox.release(campaign.origin());
    }
  }
}
