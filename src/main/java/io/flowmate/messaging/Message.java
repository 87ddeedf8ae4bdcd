package io.flowmate.messaging;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One stored message; for an outgoing one, also its outbox state.
 *
 * @param sendGap for a campaign's message: the delay range before the number's next send (else null)
 */
record Message(
    UUID id,
    TenantId tenantId,
    UUID sessionId,
    ChatId chatId,
    Direction direction,
    String source,
    Content content,
    Sender sender,
    MessageStatus status,
    String failureReason,
    String idempotencyKey,
    byte[] requestHash,
    String waMessageId,
    UUID approvalId,
    Long processInstanceKey,
    String engineEpoch,
    int attempts,
    Times times,
    Outbox.SendGap sendGap) {

  enum Direction {
    OUTBOUND,
    INBOUND;

    String value() {
      return name().toLowerCase();
    }
  }

  /**
   * What the message says.
   *
   * @param type {@code text}, {@code image}, {@code video}, {@code document}, {@code audio},
   *     {@code voice}, {@code sticker}, {@code gif}, {@code poll}, {@code location}, {@code
   *     contact}, {@code reaction}, or {@code unknown} (inbound)
   * @param body the text, caption or a short description of other types
   * @param payload type-specific values (media, poll options, coordinates, contacts, reaction)
   * @param mediaId inline media stored in {@code messaging_media}
   * @param replyTo WhatsApp id of the quoted message
   */
  record Content(String type, String body, Map<String, Object> payload, UUID mediaId, String replyTo) {

    static Content text(String body) {
      return new Content("text", body, Map.of(), null, null);
    }

    /** What the reference API calls content_preview: the first 500 characters. */
    String preview() {
      if (body == null) {
        return null;
      }
      return body.length() <= 500 ? body : body.substring(0, 500);
    }
  }

  /** Who wrote an incoming message. */
  record Sender(String phone, String lid, String name) {
    static final Sender NONE = new Sender(null, null, null);
  }

  /**
   * @param leaseUntil while the message is {@code sending}: when its dispatcher's claim lapses
   *     (the claim began one claim lease earlier)
   */
  record Times(
      Instant createdAt,
      Instant updatedAt,
      Instant sentAt,
      Instant deliveredAt,
      Instant readAt,
      Instant playedAt,
      Instant repliedAt,
      Instant editedAt,
      Instant revokedAt,
      Instant leaseUntil) {

    static Times created(Instant at) {
      return new Times(at, at, null, null, null, null, null, null, null, null);
    }
  }

  Message withApproval(UUID approval) {
    return new Message(
        id, tenantId, sessionId, chatId, direction, source, content, sender, status, failureReason,
        idempotencyKey, requestHash, waMessageId, approval, processInstanceKey, engineEpoch,
        attempts, times, sendGap);
  }

  boolean isOutbound() {
    return direction == Direction.OUTBOUND;
  }
}
