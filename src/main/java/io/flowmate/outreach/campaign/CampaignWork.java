package io.flowmate.outreach.campaign;

import io.flowmate.core.TenantId;
import io.flowmate.workflow.ForgedJob;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What every campaign worker starts with: the campaign its job names, loaded by tenant and id (a
 * job naming no campaign of that tenant is refused, see {@link ForgedJob}).
 */
@Component
class CampaignWork {

  private final CampaignRepository campaigns;

  CampaignWork(CampaignRepository campaigns) {
    this.campaigns = campaigns;
  }

  Campaign campaign(String tenantId, String campaignId) {
    TenantId tenant = TenantId.of(ForgedJob.uuid(CampaignProcess.TENANT_ID, tenantId));
    UUID id = ForgedJob.uuid(CampaignProcess.CAMPAIGN_ID, campaignId);
    return campaigns
        .find(tenant, id)
        .orElseThrow(() ->
            ForgedJob.refuse("campaign %s of tenant %s does not exist".formatted(id, tenant)));
  }
}
