package io.flowmate.outreach.followup;

import io.flowmate.core.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * "Follow up contacts who did not reply in 3 days": after a message from {@code sessionId} to a
 * contact in the audience was sent, wait; if the contact did not write meanwhile, send the message
 * again (personalised), up to {@code maxRounds} times.
 *
 * @param scannedUntil the number's messages sent up to here were examined for this rule
 */
record FollowUpRule(
    UUID id,
    TenantId tenantId,
    UUID sessionId,
    String name,
    FollowUpAudience audience,
    Duration waitTime,
    String messageContent,
    int maxRounds,
    boolean active,
    Instant scannedUntil,
    Instant createdAt,
    Instant deactivatedAt) {

  static final Duration MIN_WAIT = Duration.ofHours(1);
  static final Duration MAX_WAIT = Duration.ofDays(90);
  static final int MAX_ROUNDS = 5;
  static final int MAX_MESSAGE_LENGTH = 4096;
}
