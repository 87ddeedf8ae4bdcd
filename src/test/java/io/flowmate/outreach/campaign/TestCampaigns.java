package io.flowmate.outreach.campaign;

import io.flowmate.core.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Campaigns as the campaign workers load them, for unit tests: a text campaign to a custom group,
 * changed one property at a time.
 */
final class TestCampaigns {

  static final Instant CREATED_AT = Instant.parse("2026-03-02T09:00:00Z");

  private TestCampaigns() {}

  static Builder campaign(TenantId tenant) {
    return new Builder(tenant);
  }

  static final class Builder {
    private final UUID id = UUID.randomUUID();
    private final TenantId tenant;
    private final UUID sessionId = UUID.randomUUID();
    private final UUID customGroupId = UUID.randomUUID();
    private String messageType = "text";
    private String messageContent = "Hello {name}";
    private String mediaUrl;
    private List<String> variants = List.of();
    private Map<String, String> memberFilter = Map.of();
    private CampaignStatus status = CampaignStatus.PENDING;
    private UUID planCursor;
    private int plannedCount;
    private boolean allPlanned;
    private UUID approvalId;

    private Builder(TenantId tenant) {
      this.tenant = tenant;
    }

    Builder status(CampaignStatus status) {
      this.status = status;
      return this;
    }

    Builder approvalId(UUID approvalId) {
      this.approvalId = approvalId;
      return this;
    }

    Builder planned(int plannedCount, UUID planCursor, boolean allPlanned) {
      this.plannedCount = plannedCount;
      this.planCursor = planCursor;
      this.allPlanned = allPlanned;
      return this;
    }

    Builder memberFilter(Map<String, String> memberFilter) {
      this.memberFilter = memberFilter;
      return this;
    }

    Builder text(String messageContent, List<String> variants) {
      this.messageContent = messageContent;
      this.variants = variants;
      return this;
    }

    Builder media(String mediaUrl, String caption) {
      this.messageType = "media";
      this.mediaUrl = mediaUrl;
      this.messageContent = caption;
      return this;
    }

    Campaign build() {
      return new Campaign(
          id,
          tenant,
          sessionId,
          customGroupId,
          "Spring sale",
          messageType,
          messageContent,
          mediaUrl,
          variants,
          memberFilter,
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          status,
          null,
          0,
          plannedCount,
          planCursor,
          allPlanned,
          approvalId,
          null,
          null,
          CREATED_AT,
          CREATED_AT,
          status == CampaignStatus.PENDING ? null : CREATED_AT,
          null);
    }
  }
}
