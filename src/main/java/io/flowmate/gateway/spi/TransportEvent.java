package io.flowmate.gateway.spi;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What transports report, normalised across transports. Webhook transports deliver at least once:
 * listeners must be idempotent (messages carry WhatsApp's id; acks only move forward).
 */
public sealed interface TransportEvent {

  SessionId sessionId();

  Instant occurredAt();

  /**
   * The session's connection changed, possibly with a pairing challenge.
   *
   * @param qrCode the raw QR value to scan ({@code QR_CODE})
   * @param passkeyChallenge what the operator's browser must sign, or the code to confirm on the
   *     phone ({@code PASSKEY_REQUIRED})
   * @param me the linked account once {@code WORKING}
   */
  record SessionStateChanged(
      SessionId sessionId,
      SessionState state,
      String qrCode,
      String passkeyChallenge,
      WaIdentity me,
      String reason,
      Instant occurredAt)
      implements TransportEvent {}

  /** An outgoing message moved on: accepted by the server, delivered, read, played, or failed. */
  record DeliveryChanged(
      SessionId sessionId,
      String providerMessageId,
      Ack ack,
      DeliveryError error,
      Instant occurredAt)
      implements TransportEvent {}

  /**
   * A message appeared in a chat: written by a contact, or ({@code fromMe}) by us from the phone or
   * the API. In groups {@code sender} is the participant.
   */
  record MessageReceived(
      SessionId sessionId,
      String providerMessageId,
      ChatId chat,
      WaIdentity sender,
      boolean fromMe,
      InboundContent content,
      String replyTo,
      Instant occurredAt)
      implements TransportEvent {}

  record ReactionReceived(
      SessionId sessionId,
      ChatId chat,
      WaIdentity sender,
      String targetProviderMessageId,
      String emoji,
      Instant occurredAt)
      implements TransportEvent {}

  record MessageEdited(
      SessionId sessionId, ChatId chat, String providerMessageId, String text, Instant occurredAt)
      implements TransportEvent {}

  record MessageRevoked(
      SessionId sessionId, ChatId chat, String providerMessageId, Instant occurredAt)
      implements TransportEvent {}

  record PollVoted(
      SessionId sessionId,
      ChatId chat,
      String pollProviderMessageId,
      WaIdentity voter,
      List<String> selectedOptions,
      Instant occurredAt)
      implements TransportEvent {}

  /** People joined, left, were promoted or demoted in a group. */
  record GroupParticipantsChanged(
      SessionId sessionId,
      ChatId group,
      String change,
      List<GroupMember> participants,
      Instant occurredAt)
      implements TransportEvent {}

  /** The session's number joined or left a group, or the group's subject changed. */
  record GroupChanged(
      SessionId sessionId, ChatId group, String subject, boolean member, Instant occurredAt)
      implements TransportEvent {}

  record LabelChanged(
      SessionId sessionId, TransportLabel label, boolean deleted, Instant occurredAt)
      implements TransportEvent {}

  record ChatLabelChanged(
      SessionId sessionId, ChatId chat, String labelId, boolean added, Instant occurredAt)
      implements TransportEvent {}

  /** Both forms of an identity were seen together (a LID with its phone number). */
  record IdentityLearned(SessionId sessionId, WaIdentity identity, Instant occurredAt)
      implements TransportEvent {}

  /** WhatsApp restricted the account: reach-out timelock (463), new-chat capping, or a ban. */
  record AccountRestricted(
      SessionId sessionId, AccountHealth health, String reason, Instant occurredAt)
      implements TransportEvent {}

  enum SessionState {
    STARTING,
    QR_CODE,
    PASSKEY_REQUIRED,
    WORKING,
    STOPPED,
    FAILED,
    /** The account was banned or the device unlinked from the phone: pairing is gone. */
    LOGGED_OUT
  }

  /** Delivery progress, in order; FAILED may follow any of the others. */
  enum Ack {
    SERVER,
    DEVICE,
    READ,
    PLAYED,
    FAILED
  }

  /**
   * Why WhatsApp refused a message.
   *
   * @param code e.g. {@code 463} (reach-out timelock: the recipient never wrote to us)
   * @param until when the restriction ends, if WhatsApp said
   */
  record DeliveryError(String code, String reason, boolean blocked, Instant until) {}

  /**
   * What a received message contains.
   *
   * @param type {@code text}, {@code image}, {@code video}, {@code document}, {@code audio}, {@code
   *     voice}, {@code sticker}, {@code location}, {@code contact}, {@code poll} or {@code unknown}
   * @param details type-specific values (coordinates, vCards, poll options)
   */
  record InboundContent(
      String type,
      String text,
      String mediaUrl,
      String mimetype,
      String filename,
      Map<String, Object> details) {

    public static InboundContent text(String text) {
      return new InboundContent("text", text, null, null, null, Map.of());
    }
  }
}
