package io.flowmate.messaging.message;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.Outbox;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One stored message; for an outgoing one, also its outbox state. Built through the factory of its
 * kind ({@link #fromApi}, {@link #fromOrigin}, {@link #received}, {@link #typedOnPhone}), which
 * leaves what that kind never has empty.
 *
 * @param sendGap for a campaign's message: the delay range before the number's next send (else
 *     null)
 */
public record Message(
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

  public enum Direction {
    OUTBOUND,
    INBOUND;

    public String value() {
      return name().toLowerCase();
    }
  }

  /**
   * What the message says.
   *
   * @param type the kind; {@link MessageType#UNKNOWN} only inbound
   * @param body the text, caption or a short description of other types
   * @param payload type-specific values (media, poll options, coordinates, contacts, reaction)
   * @param mediaId inline media stored in {@code messaging_media}
   * @param replyTo WhatsApp id of the quoted message
   */
  public record Content(
      MessageType type, String body, Map<String, Object> payload, UUID mediaId, String replyTo) {

    public static Content text(String body) {
      return new Content(MessageType.TEXT, body, Map.of(), null, null);
    }

    /** What the reference API calls content_preview: the first 500 characters. */
    public String preview() {
      if (body == null) {
        return null;
      }
      return body.length() <= 500 ? body : body.substring(0, 500);
    }

    public boolean is(MessageType kind) {
      return type == kind;
    }
  }

  /** Who wrote an incoming message. */
  public record Sender(String phone, String lid, String name) {
    static final Sender NONE = new Sender(null, null, null);
  }

  /**
   * @param leaseUntil while the message is {@code sending}: when its dispatcher's claim lapses (the
   *     claim began one claim lease earlier)
   */
  public record Times(
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

  /**
   * A message sent through the API by a tenant: {@code pending} while it awaits approval (then
   * under the engine epoch of its approval instance), else {@code queued}.
   */
  public static Message fromApi(
      UUID id,
      TenantId tenant,
      UUID sessionId,
      ChatId chat,
      Content content,
      MessageStatus status,
      String idempotencyKey,
      byte[] requestHash,
      String engineEpoch,
      Instant now) {
    return new Message(
        id,
        tenant,
        sessionId,
        chat,
        Direction.OUTBOUND,
        "api",
        content,
        Sender.NONE,
        status,
        null,
        idempotencyKey,
        requestHash,
        null,
        null,
        null,
        engineEpoch,
        0,
        Times.created(now),
        null);
  }

  /**
   * A message another module's process queues through the {@link Outbox}; its source is the
   * origin's kind.
   */
  public static Message fromOrigin(
      UUID id,
      TenantId tenant,
      UUID sessionId,
      ChatId chat,
      String originKind,
      Content content,
      MessageStatus status,
      String idempotencyKey,
      Outbox.SendGap sendGap,
      Instant now) {
    return new Message(
        id,
        tenant,
        sessionId,
        chat,
        Direction.OUTBOUND,
        originKind,
        content,
        Sender.NONE,
        status,
        null,
        idempotencyKey,
        null,
        null,
        null,
        null,
        null,
        0,
        Times.created(now),
        sendGap);
  }

  /**
   * A message a person wrote in a chat of the number, as the transport reported it at {@code at}.
   */
  public static Message received(
      UUID id,
      TenantId tenant,
      UUID sessionId,
      ChatId chat,
      Content content,
      Sender sender,
      String waMessageId,
      Instant at,
      Instant now) {
    return new Message(
        id,
        tenant,
        sessionId,
        chat,
        Direction.INBOUND,
        "contact",
        content,
        sender,
        MessageStatus.RECEIVED,
        null,
        null,
        null,
        waMessageId,
        null,
        null,
        null,
        0,
        new Times(at, now, null, null, null, null, null, null, null, null),
        null);
  }

  /** A message the number's owner typed on the phone: it left at {@code at}. */
  public static Message typedOnPhone(
      UUID id,
      TenantId tenant,
      UUID sessionId,
      ChatId chat,
      Content content,
      String waMessageId,
      Instant at,
      Instant now) {
    return new Message(
        id,
        tenant,
        sessionId,
        chat,
        Direction.OUTBOUND,
        "phone",
        content,
        Sender.NONE,
        MessageStatus.SENT,
        null,
        null,
        null,
        waMessageId,
        null,
        null,
        null,
        0,
        new Times(at, now, at, null, null, null, null, null, null, null),
        null);
  }

  public Message withApproval(UUID approval) {
    return new Message(
        id,
        tenantId,
        sessionId,
        chatId,
        direction,
        source,
        content,
        sender,
        status,
        failureReason,
        idempotencyKey,
        requestHash,
        waMessageId,
        approval,
        processInstanceKey,
        engineEpoch,
        attempts,
        times,
        sendGap);
  }

  /** The message as WhatsApp accepted it, under WhatsApp's id. */
  public Message sent(String acceptedWaMessageId) {
    return withDelivery(MessageStatus.SENT, null, acceptedWaMessageId);
  }

  /**
   * The id to store a message under when WhatsApp's id for it is already held by a different
   * message of the number (a transport that handed out an id twice): WhatsApp's id with {@code #}
   * and something that tells the two apart. Acks and reactions that name WhatsApp's id go to the
   * message stored first.
   */
  public static String distinctWaMessageId(String takenWaMessageId, String discriminator) {
    return takenWaMessageId + "#" + discriminator;
  }

  /** The same message under another WhatsApp id (see {@link #distinctWaMessageId}). */
  public Message withWaMessageId(String otherWaMessageId) {
    return withDelivery(status, failureReason, otherWaMessageId);
  }

  private Message withDelivery(
      MessageStatus newStatus, String newFailureReason, String newWaMessageId) {
    return new Message(
        id,
        tenantId,
        sessionId,
        chatId,
        direction,
        source,
        content,
        sender,
        newStatus,
        newFailureReason,
        idempotencyKey,
        requestHash,
        newWaMessageId,
        approvalId,
        processInstanceKey,
        engineEpoch,
        attempts,
        times,
        sendGap);
  }

  public boolean isOutbound() {
    return direction == Direction.OUTBOUND;
  }
}
