package io.flowmate.leads;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A lead: a contact who showed interest, and where it stands in the pipeline.
 *
 * @param sourceGroupId the monitored WhatsApp group it was detected in; null for leads entered by hand
 * @param trigger what detected it; null for leads entered by hand
 */
record Lead(
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
    Instant createdAt,
    Instant updatedAt) {

  /** The message that made the contact a lead. */
  record Trigger(String matchedKeyword, String messagePreview, String monitorMode) {}
}
