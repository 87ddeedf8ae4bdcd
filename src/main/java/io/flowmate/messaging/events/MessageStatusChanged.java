package io.flowmate.messaging.events;

import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * An outgoing message moved on. Published inside the transaction that records the move, so that a
 * synchronous listener can write what follows from it in that same transaction.
 *
 * <p>{@code status} is where it moved to: {@code queued} (queued by an origin), {@code sent}
 * (handed to WhatsApp, or typed on the phone), {@code delivered}, {@code read}, {@code played},
 * {@code failed}, {@code cancelled} (by its origin), or {@code replied}: the contact wrote back
 * within the reply window (the message keeps its status).
 *
 * @param previousStatus where it stood before (null for a message new to Flowmate)
 * @param chatId where it went
 * @param originKind what queued it ({@code campaign}, {@code schedule}, {@code follow_up}); null
 *     for API sends and messages typed on the phone
 * @param originId the campaign, schedule or follow-up that queued it
 * @param failureReason why it failed (for {@code failed} and {@code cancelled})
 * @param sentAt when WhatsApp accepted it (null while it has not been)
 */
public record MessageStatusChanged(
    TenantId tenantId,
    SessionId sessionId,
    MessageId messageId,
    String status,
    Instant changedAt,
    String previousStatus,
    String chatId,
    String originKind,
    UUID originId,
    String failureReason,
    Instant sentAt) {

  /** Ids only: events end up in logs; the chat is personal data, a failure reason may quote it. */
  @Override
  public String toString() {
    return ("MessageStatusChanged[tenantId=%s, sessionId=%s, messageId=%s, status=%s, previousStatus=%s,"
            + " originKind=%s, originId=%s, changedAt=%s]")
        .formatted(
            tenantId,
            sessionId,
            messageId,
            status,
            previousStatus,
            originKind,
            originId,
            changedAt);
  }
}
