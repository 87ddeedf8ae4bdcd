package io.flowmate.outreach.followup;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * One contact's follow-up under one rule, started by a message sent to them.
 *
 * @param waitingSince when that message was sent: a reply after it stops the follow-up
 * @param round follow-ups sent so far
 * @param dueAt while waiting, when the next round goes (what a re-created instance waits for)
 */
record FollowUp(
    UUID id,
    TenantId tenantId,
    UUID ruleId,
    UUID sessionId,
    ChatId chat,
    UUID triggerMessageId,
    Instant waitingSince,
    int round,
    int maxRounds,
    Instant dueAt,
    FollowUpStatus status,
    String statusReason,
    Long processInstanceKey,
    String engineEpoch,
    Instant createdAt,
    Instant endedAt) {

  /** The idempotency key of a round's message: a round is queued once, whatever is retried. */
  String roundKey(int roundNumber) {
    return "follow-up:" + id + ":" + roundNumber;
  }
}
