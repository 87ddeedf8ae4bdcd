package io.flowmate.messaging.chats;

import io.flowmate.admin.Tenants;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.MessagingSettings;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.outbox.SenderStateRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** How messages look in the API, and the chat-history gate on reading conversations. */
@Component
public class MessageViews {

  /** The reference API's wording for the chat-history gate. */
  static final String CHAT_HISTORY_GATE =
      "Chat history access requires opt-in: enable chat_history_access_enabled in"
          + " PATCH /api/v2/tenant/settings";

  private final Tenants tenants;
  private final MessagingSettings settings;
  private final SenderStateRepository senderStates;
  private final Clock clock;

  MessageViews(
      Tenants tenants,
      MessagingSettings settings,
      SenderStateRepository senderStates,
      Clock clock) {
    this.tenants = tenants;
    this.settings = settings;
    this.senderStates = senderStates;
    this.clock = clock;
  }

  /**
   * @param engagement {@code replied} (a reply arrived within the reply window after sending),
   *     {@code ignored} (read, and no reply within the window), or null (too early to say)
   * @param payload the type's fields: media, poll options and votes, coordinates, contacts,
   *     reactions received
   */
  public record MessageView(
      UUID id,
      UUID sessionId,
      String chatId,
      String waMessageId,
      String direction,
      String source,
      String messageType,
      String contentPreview,
      Map<String, Object> payload,
      String replyTo,
      MessageStatus status,
      String failureReason,
      String engagement,
      UUID approvalId,
      Long processInstanceKey,
      String senderPhone,
      String senderLid,
      String senderName,
      Instant sentAt,
      Instant deliveredAt,
      Instant readAt,
      Instant playedAt,
      Instant repliedAt,
      Instant editedAt,
      Instant revokedAt,
      Instant createdAt,
      Instant updatedAt) {}

  public MessageView view(Message m) {
    Message.Times t = m.times();
    return new MessageView(
        m.id(),
        m.sessionId(),
        m.chatId().value(),
        m.waMessageId(),
        m.direction().value(),
        m.source(),
        m.content().type().value(),
        m.content().preview(),
        m.content().payload(),
        m.content().replyTo(),
        m.status().visible(),
        failureReason(m),
        engagement(m),
        m.approvalId(),
        m.processInstanceKey(),
        m.sender().phone(),
        m.sender().lid(),
        m.sender().name(),
        t.sentAt(),
        t.deliveredAt(),
        t.readAt(),
        t.playedAt(),
        t.repliedAt(),
        t.editedAt(),
        t.revokedAt(),
        t.createdAt(),
        t.updatedAt());
  }

  /**
   * The message's own reason, or for a message still queued, why its number waits (the pacer's
   * reason is kept per number, not written on every message that waits).
   */
  public String failureReason(Message m) {
    if (m.failureReason() != null || !m.isOutbound() || m.status() != MessageStatus.QUEUED) {
      return m.failureReason();
    }
    return senderStates.waitingReason(m.sessionId()).orElse(null);
  }

  private String engagement(Message m) {
    if (!m.isOutbound()) {
      return null;
    }
    if (m.times().repliedAt() != null) {
      return "replied";
    }
    Instant read = m.times().readAt();
    if (read != null && read.plus(settings.replyWindow()).isBefore(clock.instant())) {
      return "ignored";
    }
    return null;
  }

  /** 403 until the tenant opted in to reading chat history. */
  public void requireChatHistory(TenantId tenant) {
    if (!tenants.settings(tenant).chatHistoryAccessEnabled()) {
      throw ApiException.forbidden(CHAT_HISTORY_GATE);
    }
  }
}
