package io.flowmate.outreach.campaign;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.Sessions;
import io.flowmate.outreach.audience.Audience;
import java.time.Clock;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Checks, when the campaign's process starts, that its number and custom group still exist and that
 * the filter selects anyone; counts the audience. A campaign that cannot run fails here with the
 * reason, before anyone approves it or anything is queued.
 *
 * <p>In: {@code tenantId}, {@code campaignId}. Out: {@code campaignValid}, {@code audienceSize}.
 */
@Component
public class ValidateCampaignWorker {

  private final CampaignWork work;
  private final CampaignRepository campaigns;
  private final Audience audience;
  private final Sessions sessions;
  private final Clock clock;

  ValidateCampaignWorker(
      CampaignWork work,
      CampaignRepository campaigns,
      Audience audience,
      Sessions sessions,
      Clock clock) {
    this.work = work;
    this.campaigns = campaigns;
    this.audience = audience;
    this.sessions = sessions;
    this.clock = clock;
  }

  @JobWorker(type = CampaignProcess.VALIDATE_JOB)
  public Map<String, Object> validateCampaign(
      @Variable(name = CampaignProcess.TENANT_ID) String tenantId,
      @Variable(name = CampaignProcess.CAMPAIGN_ID) String campaignId) {
    Campaign campaign = work.campaign(tenantId, campaignId);
    String problem = null;
    long size = 0;
    if (sessions.find(campaign.tenantId(), SessionId.of(campaign.sessionId())).isEmpty()) {
      problem = "its session was deleted";
    } else if (!audience.groupExists(campaign.tenantId(), campaign.customGroupId())) {
      problem = "its custom group was deleted";
    } else {
      size = audience.count(campaign.customGroupId(), campaign.memberFilter());
      if (size == 0) {
        problem =
            "its custom group has no members"
                + (campaign.memberFilter().isEmpty() ? "" : " that match the filter");
      }
    }
    if (problem != null) {
      campaigns.move(
          campaign.id(),
          CampaignStatus.Move.FAIL,
          "campaign cannot run: " + problem,
          clock.instant());
      return Map.of(CampaignProcess.VALID, false, CampaignProcess.AUDIENCE_SIZE, size);
    }
    campaigns.recordAudience(campaign.id(), (int) size, clock.instant());
    return Map.of(
        CampaignProcess.VALID,
        campaign.status() == CampaignStatus.PENDING,
        CampaignProcess.AUDIENCE_SIZE,
        size);
  }
}
