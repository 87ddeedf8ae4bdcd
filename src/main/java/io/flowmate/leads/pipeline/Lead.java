package io.flowmate.leads.pipeline;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A lead: a contact who showed interest, and where it stands in the pipeline.
 *
 * @param sourceGroupId the monitored WhatsApp group it was detected in; null for leads entered by
 *     hand
 * @param trigger what detected it; null for leads entered by hand
 * @param scoring the latest score's explanation and the status it suggests
 * @param lastActivityAt the latest of detection, status change and messages either way
 */
public record Lead(
    UUID id,
    TenantId tenantId,
    String contactPhone,
    String contactName,
    LeadStatus status,
    Integer score,
    Instant detectedAt,
    UUID sourceGroupId,
    String sourceGroupName,
    Trigger trigger,
    Instant statusChangedAt,
    Scoring scoring,
    Instant lastActivityAt,
    Instant createdAt,
    Instant updatedAt) {

  /** Why the lead has its score, when it got it, and the status the score suggests (null: none). */
  record Scoring(String reason, Instant scoredAt, LeadStatus suggestedStatus) {

    static final Scoring NONE = new Scoring(null, null, null);
  }

  /** The message that made the contact a lead. */
  record Trigger(String matchedKeyword, String messagePreview, String monitorMode) {}
}
