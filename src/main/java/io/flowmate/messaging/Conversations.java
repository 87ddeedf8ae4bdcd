package io.flowmate.messaging;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Read-only questions other modules ask about conversations, each answered by one indexed query:
 * which messages a number sent to contacts in a window of time (follow-up rules watch these), when
 * a contact last wrote, and which phone number stands behind a linked-id (LID) chat.
 */
@Service
public class Conversations {

  private static final UUID LAST_ID = new UUID(-1L, -1L);

  private final MessageRepository messages;
  private final ContactRepository contacts;

  Conversations(MessageRepository messages, ContactRepository contacts) {
    this.messages = messages;
    this.contacts = contacts;
  }

  /** An outgoing message WhatsApp accepted, to a contact's chat ({@code <phone>@c.us}). */
  public record SentMessage(
      UUID messageId, TenantId tenantId, UUID sessionId, ChatId chat, Instant sentAt) {

    /** Where the next page starts. */
    public SentCursor cursor() {
      return new SentCursor(sentAt, messageId);
    }
  }

  /** A position in the order of sending: after this message (sent_at, then id). */
  public record SentCursor(Instant sentAt, UUID messageId) {

    /** After everything sent at or before the instant. */
    public static SentCursor after(Instant instant) {
      return new SentCursor(instant, LAST_ID);
    }
  }

  /**
   * Messages these numbers sent to contacts (not groups) after the cursor and at or before
   * {@code until}, oldest first: sent, delivered, read or played, whoever queued them (the API, a
   * campaign, the phone), except those queued by {@code excludedOriginKind} (e.g. {@code
   * follow_up}).
   */
  public List<SentMessage> sentToContacts(
      Collection<UUID> sessionIds, SentCursor after, Instant until, String excludedOriginKind, int limit) {
    if (sessionIds.isEmpty() || !after.sentAt().isBefore(until)) {
      return List.of();
    }
    return messages
        .sentToContacts(sessionIds, after.sentAt(), after.messageId(), until, excludedOriginKind, limit)
        .stream()
        .map(m -> new SentMessage(m.id(), m.tenantId(), m.sessionId(), m.chatId(), m.times().sentAt()))
        .toList();
  }

  /**
   * When the person behind the contact chat ({@code <phone>@c.us}) last wrote to the number in a
   * direct chat, under their phone number or their linked id; empty if never.
   */
  public Optional<Instant> lastWroteAt(TenantId tenant, UUID sessionId, ChatId contactChat) {
    Optional<String> lid =
        contactChat
            .phoneNumber()
            .flatMap(phone -> contacts.find(sessionId, null, phone))
            .map(ContactRepository.Contact::lid);
    return messages.lastInboundFrom(tenant, sessionId, contactChat, lid);
  }

  /**
   * The contact chats ({@code <phone>@c.us}) behind linked-id chats ({@code <n>@lid}) of one
   * number, for those whose phone number the number knows.
   */
  public Map<ChatId, ChatId> phoneChatsOf(UUID sessionId, Collection<ChatId> lidChats) {
    Map<ChatId, ChatId> phoneChats = new HashMap<>();
    if (lidChats.isEmpty()) {
      return phoneChats;
    }
    contacts
        .findAll(sessionId, lidChats.stream().map(ChatId::value).toList(), List.of())
        .forEach(
            contact -> {
              if (contact.lid() != null && contact.phone() != null) {
                ChatId.tryParse(contact.phone())
                    .ifPresent(phoneChat -> phoneChats.put(new ChatId(contact.lid()), phoneChat));
              }
            });
    return phoneChats;
  }
}
