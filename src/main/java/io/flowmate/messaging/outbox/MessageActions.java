package io.flowmate.messaging.outbox;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.WhatsAppTransport;
import io.flowmate.messaging.chats.ChatRepository;
import io.flowmate.messaging.inbound.InboundRepository;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What can be done to a message after it was sent or received: edit, delete for everyone, mark
 * read; and the typing indicator. These act on WhatsApp directly (they send nothing new).
 */
@Service
class MessageActions {

  /** WhatsApp lets a text be edited for 15 minutes after it was sent. */
  static final Duration EDIT_WINDOW = Duration.ofMinutes(15);

  /** WhatsApp lets a message be deleted for everyone for about two days. */
  static final Duration REVOKE_WINDOW = Duration.ofHours(48);

  private final OutboxRepository messages;
  private final InboundRepository edits;
  private final ChatRepository chats;
  private final Sessions sessions;
  private final WhatsAppTransport transport;
  private final Clock clock;

  MessageActions(
      OutboxRepository messages,
      InboundRepository edits,
      ChatRepository chats,
      Sessions sessions,
      WhatsAppTransport transport,
      Clock clock) {
    this.messages = messages;
    this.edits = edits;
    this.chats = chats;
    this.sessions = sessions;
    this.transport = transport;
    this.clock = clock;
  }

  Message get(TenantId tenant, UUID id) {
    return messages.find(tenant, id).orElseThrow(() -> ApiException.notFound("Message", id));
  }

  Message edit(TenantId tenant, UUID id, String text) {
    Message message = get(tenant, id);
    if (!message.isOutbound() || !message.content().is(MessageType.TEXT)) {
      throw ApiException.conflict("Only texts this tenant sent can be edited");
    }
    if (message.waMessageId() == null) {
      throw ApiException.conflict(
          "Message '%s' is %s; a message can be edited once sent"
              .formatted(id, message.status().visible().value()));
    }
    Instant now = clock.instant();
    if (message.times().sentAt() != null
        && message.times().sentAt().plus(EDIT_WINDOW).isBefore(now)) {
      throw ApiException.conflict(
          "WhatsApp allows edits for 15 minutes after sending; this message is older");
    }
    SessionInfo session = working(tenant, message.sessionId());
    call(() -> transport.edit(session.ref(), message.chatId(), message.waMessageId(), text));
    edits.markEdited(id, text, now);
    return get(tenant, id);
  }

  /** Deletes for everyone; a message not sent yet is simply cancelled. */
  Message revoke(TenantId tenant, UUID id) {
    Message message = get(tenant, id);
    if (!message.isOutbound()) {
      throw ApiException.conflict("Only messages this tenant sent can be deleted for everyone");
    }
    Instant now = clock.instant();
    if (messages.cancelUnsent(id, "deleted before it was sent", now)) {
      return get(tenant, id);
    }
    if (message.waMessageId() == null) {
      throw ApiException.conflict(
          "Message '%s' is %s and cannot be deleted"
              .formatted(id, message.status().visible().value()));
    }
    if (message.times().revokedAt() != null) {
      return message;
    }
    if (message.times().sentAt() != null
        && message.times().sentAt().plus(REVOKE_WINDOW).isBefore(now)) {
      throw ApiException.conflict(
          "WhatsApp allows deleting for everyone for about two days after sending");
    }
    SessionInfo session = working(tenant, message.sessionId());
    call(() -> transport.revoke(session.ref(), message.chatId(), message.waMessageId()));
    edits.markRevoked(message.sessionId(), message.waMessageId(), now);
    return get(tenant, id);
  }

  /** Blue ticks for a received message (and the chat counts as read). */
  Message markRead(TenantId tenant, UUID id) {
    Message message = get(tenant, id);
    if (message.isOutbound()) {
      throw ApiException.conflict("Only received messages can be marked read");
    }
    SessionInfo session = working(tenant, message.sessionId());
    call(() -> transport.markRead(session.ref(), message.chatId(), List.of(message.waMessageId())));
    chats.markRead(message.sessionId(), message.chatId());
    return message;
  }

  void typing(TenantId tenant, UUID sessionId, ChatId chat, boolean typing) {
    SessionInfo session = working(tenant, sessionId);
    call(() -> transport.typing(session.ref(), chat, typing));
  }

  private SessionInfo working(TenantId tenant, UUID sessionId) {
    SessionInfo session = sessions.get(tenant, SessionId.of(sessionId));
    if (!session.isWorking()) {
      throw ApiException.conflict(
          "Session '%s' is %s, not working".formatted(sessionId, session.status().value()));
    }
    return session;
  }

  private static void call(Runnable action) {
    try {
      action.run();
    } catch (TransportException e) {
      throw ApiException.conflict("WhatsApp refused: " + e.getMessage());
    }
  }
}
