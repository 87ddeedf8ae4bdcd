package io.flowmate.outreach;

import io.flowmate.core.TenantId;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** What every campaign worker starts with: the campaign its job names. */
@Component
class CampaignWork {

  private final CampaignRepository campaigns;

  CampaignWork(CampaignRepository campaigns) {
    this.campaigns = campaigns;
  }

  Campaign campaign(String tenantId, String campaignId) {
    return campaigns
        .find(TenantId.of(UUID.fromString(tenantId)), UUID.fromString(campaignId))
        .orElseThrow(() -> new IllegalStateException("campaign " + campaignId + " not found"));
  }
}
