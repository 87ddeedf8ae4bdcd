package io.flowmate.outreach.campaign;

import io.flowmate.core.TenantId;
import io.flowmate.messaging.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A bulk send to the members of a custom group.
 *
 * @param messageContent the text (or media caption) with personalisation placeholders and spin text
 * @param variants alternative texts; each recipient gets one of these or {@code messageContent}
 * @param memberFilter only members whose custom fields have these values
 * @param planCursor the last member planned into the outbox (member id order)
 * @param approvalId the approval it waits for or waited for, when the tenant requires approval
 */
public record Campaign(
    UUID id,
    TenantId tenantId,
    UUID sessionId,
    UUID customGroupId,
    String name,
    String messageType,
    String messageContent,
    String mediaUrl,
    List<String> variants,
    Map<String, String> memberFilter,
    Duration delayMin,
    Duration delayMax,
    CampaignStatus status,
    String statusReason,
    int totalRecipients,
    int plannedCount,
    UUID planCursor,
    boolean allPlanned,
    UUID approvalId,
    Long processInstanceKey,
    String engineEpoch,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt) {

  public static final String ORIGIN_KIND = "campaign";

  Outbox.Origin origin() {
    return new Outbox.Origin(ORIGIN_KIND, id);
  }

  Outbox.SendGap sendGap() {
    return new Outbox.SendGap(delayMin, delayMax);
  }
}
