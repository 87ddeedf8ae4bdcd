package io.flowmate.workflow;

import io.flowmate.core.ApprovalId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A request for a human decision about one business object.
 *
 * @param kind what is approved ({@code message}, {@code campaign}, ...)
 * @param subjectId the message, campaign, ... that waits for the decision
 * @param summary what the approver sees (recipient, text, audience size, ...)
 * @param editedText the approver's replacement text, when approved with changes
 * @param reason why it was rejected
 * @param processInstanceKey the instance whose user task is {@code userTaskKey} (same epoch)
 */
public record Approval(
    ApprovalId id,
    TenantId tenantId,
    String kind,
    UUID subjectId,
    Map<String, Object> summary,
    ApprovalStatus status,
    Instant requestedAt,
    Instant expiresAt,
    Instant decidedAt,
    String decidedBy,
    String editedText,
    String reason,
    Long userTaskKey,
    String engineEpoch,
    Long processInstanceKey) {}
