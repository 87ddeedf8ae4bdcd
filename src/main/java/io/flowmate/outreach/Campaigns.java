package io.flowmate.outreach;

import io.flowmate.core.CampaignId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.outreach.campaign.Campaign;
import io.flowmate.outreach.campaign.CampaignRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** What other modules may ask about bulk-send campaigns (jobs): read-only. */
@Service
public class Campaigns {

  /**
   * The kind of {@link io.flowmate.messaging.Outbox.Origin} under which campaigns queue their
   * messages.
   */
  public static final String ORIGIN_KIND = Campaign.ORIGIN_KIND;

  private final CampaignRepository campaigns;

  Campaigns(CampaignRepository campaigns) {
    this.campaigns = campaigns;
  }

  /**
   * A campaign as other modules see it.
   *
   * @param status {@code pending}, {@code running}, {@code paused}, {@code completed}, {@code
   *     cancelled} or {@code failed}
   * @param totalRecipients the members it sends to (grows if members join before they are planned)
   */
  public record CampaignSummary(
      CampaignId id,
      TenantId tenantId,
      SessionId sessionId,
      UUID customGroupId,
      String name,
      String status,
      int totalRecipients,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt) {}

  /** The tenant's campaign; empty for an unknown id or another tenant's campaign. */
  public Optional<CampaignSummary> find(TenantId tenant, CampaignId id) {
    return campaigns
        .find(tenant, id.value())
        .map(c ->
            new CampaignSummary(
                CampaignId.of(c.id()),
                c.tenantId(),
                SessionId.of(c.sessionId()),
                c.customGroupId(),
                c.name(),
                c.status().value(),
                Math.max(c.totalRecipients(), c.plannedCount()),
                c.createdAt(),
                c.startedAt(),
                c.finishedAt()));
  }
}
