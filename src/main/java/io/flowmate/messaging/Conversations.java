package io.flowmate.messaging;

import io.flowmate.core.ChatId;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.chats.ChatRepository;
import io.flowmate.messaging.chats.ContactRepository;
import io.flowmate.messaging.chats.ConversationQueries;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only questions other modules ask about conversations, each answered by one indexed query:
 * which messages a number sent to contacts in a window of time (follow-up rules watch these), when
 * a contact last wrote, which phone number stands behind a linked-id (LID) chat, which direct chats
 * changed (in commit order) and what was exchanged with one person.
 */
@Service
public class Conversations {

  private static final UUID LAST_ID = new UUID(-1L, -1L);

  private final ConversationQueries messages;
  private final ContactRepository contacts;

  private final ChatRepository chats;

  Conversations(ConversationQueries messages, ContactRepository contacts, ChatRepository chats) {
    this.messages = messages;
    this.contacts = contacts;
    this.chats = chats;
  }

  /** An outgoing message WhatsApp accepted, to a contact's chat ({@code <phone>@c.us}). */
  public record SentMessage(
      MessageId messageId, TenantId tenantId, SessionId sessionId, ChatId chat, Instant sentAt) {

    /** Where the next page starts. */
    public SentCursor cursor() {
      return new SentCursor(sentAt, messageId);
    }
  }

  /** A position in the order of sending: after this message (sent_at, then id). */
  public record SentCursor(Instant sentAt, MessageId messageId) {

    /** After everything sent at or before the instant. */
    public static SentCursor after(Instant instant) {
      return new SentCursor(instant, MessageId.of(LAST_ID));
    }
  }

  /**
   * Messages these numbers sent to contacts (not groups) after the cursor and at or before {@code
   * until}, oldest first: sent, delivered, read or played, whoever queued them (the API, a
   * campaign, the phone), except those queued by {@code excludedOriginKind} (e.g. {@code
   * follow_up}).
   */
  public List<SentMessage> sentToContacts(
      Collection<SessionId> sessionIds,
      SentCursor after,
      Instant until,
      String excludedOriginKind,
      int limit) {
    if (sessionIds.isEmpty() || !after.sentAt().isBefore(until)) {
      return List.of();
    }
    return messages
        .sentToContacts(
            uuids(sessionIds),
            after.sentAt(),
            after.messageId().value(),
            until,
            excludedOriginKind,
            limit)
        .stream()
        .map(m ->
            new SentMessage(
                MessageId.of(m.id()),
                m.tenantId(),
                SessionId.of(m.sessionId()),
                m.chatId(),
                m.times().sentAt()))
        .toList();
  }

  /**
   * When the person behind the contact chat ({@code <phone>@c.us}) last wrote to the number in a
   * direct chat, under their phone number or their linked id; empty if never.
   */
  public Optional<Instant> lastWroteAt(TenantId tenant, SessionId sessionId, ChatId contactChat) {
    Optional<String> lid =
        contactChat
            .phoneNumber()
            .flatMap(phone -> contacts.find(sessionId.value(), null, phone))
            .map(ContactRepository.Contact::lid);
    return messages.lastInboundFrom(tenant, sessionId.value(), contactChat, lid);
  }

  /**
   * The contact chats ({@code <phone>@c.us}) behind linked-id chats ({@code <n>@lid}) of one
   * number, for those whose phone number the number knows.
   */
  public Map<ChatId, ChatId> phoneChatsOf(SessionId sessionId, Collection<ChatId> lidChats) {
    Map<ChatId, ChatId> phoneChats = new HashMap<>();
    if (lidChats.isEmpty()) {
      return phoneChats;
    }
    contacts
        .findAll(sessionId.value(), lidChats.stream().map(ChatId::value).toList(), List.of())
        .forEach(contact -> {
          if (contact.lid() != null && contact.phone() != null) {
            ChatId.tryParse(contact.phone())
                .ifPresent(phoneChat -> phoneChats.put(new ChatId(contact.lid()), phoneChat));
          }
        });
    return phoneChats;
  }

  /**
   * A direct chat's latest activity. {@code chat} is the contact's phone chat ({@code
   * <phone>@c.us}) when the number knows the phone behind a linked-id chat.
   */
  public record ChatActivity(
      TenantId tenantId,
      SessionId sessionId,
      ChatId chat,
      Instant lastInboundAt,
      Instant lastOutboundAt) {}

  /** A position in the order in which chats changed. */
  public record ChatCursor(Instant recordedAt, SessionId sessionId, String chatId) {

    /** Before every change recorded after the instant. */
    public static ChatCursor at(Instant instant) {
      return new ChatCursor(instant, SessionId.of(new UUID(0L, 0L)), "");
    }
  }

  /** A page of changed chats and where the next page starts ({@code after} again when empty). */
  public record ChatActivityPage(List<ChatActivity> chats, ChatCursor next) {}

  /**
   * Direct chats, of every tenant, whose messages changed after the cursor and at or before {@code
   * until}, in the order the changes were recorded: each chat once per page with its latest times,
   * however many messages it got. A reader that keeps the cursor sees every change once {@code
   * until} trails the clock by more than a transaction takes.
   */
  public ChatActivityPage directChatsChanged(ChatCursor after, Instant until, int limit) {
    List<ChatRepository.DirectChat> page =
        chats.directChatsRecorded(
            after.recordedAt(), after.sessionId().value(), after.chatId(), until, limit);
    if (page.isEmpty()) {
      return new ChatActivityPage(List.of(), after);
    }
    Map<UUID, List<ChatId>> lidChats = new HashMap<>();
    page.stream()
        .filter(chat -> chat.chatId().kind() == ChatId.Kind.LID)
        .forEach(chat ->
            lidChats
                .computeIfAbsent(chat.sessionId(), s -> new java.util.ArrayList<>())
                .add(chat.chatId()));
    Map<UUID, Map<ChatId, ChatId>> phoneChats = new HashMap<>();
    lidChats.forEach(
        (session, lids) -> phoneChats.put(session, phoneChatsOf(SessionId.of(session), lids)));
    List<ChatActivity> activity =
        page.stream()
            .map(chat ->
                new ChatActivity(
                    new TenantId(chat.tenantId()),
                    SessionId.of(chat.sessionId()),
                    phoneChats
                        .getOrDefault(chat.sessionId(), Map.of())
                        .getOrDefault(chat.chatId(), chat.chatId()),
                    chat.lastInboundAt(),
                    chat.lastOutboundAt()))
            .toList();
    ChatRepository.DirectChat last = page.getLast();
    return new ChatActivityPage(
        activity,
        new ChatCursor(last.recordedAt(), SessionId.of(last.sessionId()), last.chatId().value()));
  }

  /**
   * What the tenant's numbers and one person exchanged in direct chats since a moment, under the
   * person's phone number or linked id.
   *
   * @param lastOutboundAt when one of the numbers last wrote to them (sent), or null
   * @param firstOutboundAt when one of the numbers first wrote to them in the window, or null
   */
  public record Exchange(
      int received,
      int sent,
      Instant lastInboundAt,
      Instant firstOutboundAt,
      Instant lastOutboundAt) {

    /** They wrote after we first did. */
    public boolean repliedToUs() {
      return firstOutboundAt != null
          && lastInboundAt != null
          && lastInboundAt.isAfter(firstOutboundAt);
    }
  }

  @Transactional(readOnly = true)
  public Exchange exchangedWith(
      TenantId tenant, Collection<SessionId> sessionIds, String phone, Instant since) {
    return messages.exchangedWith(tenant, uuids(sessionIds), chatsOf(sessionIds, phone), since);
  }

  /** One message to or from a person, for a timeline. */
  public record ExchangedMessage(
      MessageId messageId,
      SessionId sessionId,
      String direction,
      String messageType,
      String preview,
      String status,
      Instant at) {}

  /** The latest messages between the tenant's numbers and one person, newest first. */
  @Transactional(readOnly = true)
  public List<ExchangedMessage> recentWith(
      TenantId tenant, Collection<SessionId> sessionIds, String phone, int limit) {
    return messages.recentIn(tenant, uuids(sessionIds), chatsOf(sessionIds, phone), limit).stream()
        .map(m ->
            new ExchangedMessage(
                MessageId.of(m.id()),
                SessionId.of(m.sessionId()),
                m.direction().value(),
                m.content().type().value(),
                m.content().preview(),
                m.status().value(),
                m.isOutbound() && m.times().sentAt() != null
                    ? m.times().sentAt()
                    : m.times().createdAt()))
        .toList();
  }

  /**
   * A person's direct chats on these numbers: their phone chat and, where known, their linked-id
   * chat.
   */
  private List<String> chatsOf(Collection<SessionId> sessionIds, String phone) {
    java.util.Set<String> chats = new java.util.LinkedHashSet<>();
    ChatId.tryParse(phone).ifPresent(chat -> chats.add(chat.value()));
    for (SessionId session : sessionIds) {
      contacts
          .find(session.value(), null, phone)
          .map(ContactRepository.Contact::lid)
          .ifPresent(chats::add);
    }
    return List.copyOf(chats);
  }

  private static List<UUID> uuids(Collection<SessionId> sessionIds) {
    return sessionIds.stream().map(SessionId::value).toList();
  }
}
