package io.flowmate.messaging;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.chats.ChatRepository;
import io.flowmate.messaging.chats.ConversationQueries;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Figures about the tenant's conversations for reports and the account health report: how many
 * messages went and came in a window, who wrote and got no answer, and the busiest direct chats.
 * Read-only, never message texts: only who, how many and when.
 */
@Service
public class ConversationFigures {

  private final ConversationQueries messages;
  private final ChatRepository chats;

  ConversationFigures(ConversationQueries messages, ChatRepository chats) {
    this.messages = messages;
    this.chats = chats;
  }

  /**
   * Messages in a window.
   *
   * @param sent outgoing messages that left (WhatsApp accepted them) in the window
   * @param received incoming messages that arrived in the window, direct and in groups
   */
  public record Traffic(long sent, long received) {}

  /**
   * A direct chat of one of the tenant's numbers.
   *
   * @param chatId {@code <phone>@c.us} or {@code <n>@lid}
   * @param name the contact's name as WhatsApp showed it, if known
   * @param lastInboundAt when the contact last wrote
   * @param lastOutboundAt when the number last wrote there (null: never)
   * @param messageCount messages in the chat, both directions
   */
  public record ChatActivity(
      SessionId sessionId,
      String chatId,
      String name,
      Instant lastInboundAt,
      Instant lastOutboundAt,
      Instant lastMessageAt,
      int messageCount) {

    /** The contact wrote last: nobody answered since. */
    public boolean awaitsReply() {
      return lastInboundAt != null
          && (lastOutboundAt == null || lastOutboundAt.isBefore(lastInboundAt));
    }
  }

  /** The contacts waiting for an answer: how many, and the longest waiting first. */
  public record Unanswered(long total, List<ChatActivity> longestWaiting) {}

  /** Contacts with at least a number of messages: how many, and the busiest first. */
  public record MostActive(int minMessages, long total, List<ChatActivity> busiest) {}

  /** Messages sent and received by all the tenant's numbers in {@code [since, until)}. */
  public Traffic traffic(TenantId tenant, Instant since, Instant until) {
    long[] counts = messages.countTraffic(tenant, since, until);
    return new Traffic(counts[0], counts[1]);
  }

  /** Direct chats where the contact wrote last and got no reply (yet), longest waiting first. */
  public Unanswered unanswered(TenantId tenant, int limit) {
    return new Unanswered(
        chats.countUnanswered(tenant),
        chats.unanswered(tenant, limit).stream().map(ConversationFigures::activity).toList());
  }

  /** Direct chats with at least {@code minMessages} messages, busiest first. */
  public MostActive mostActive(TenantId tenant, int minMessages, int limit) {
    return new MostActive(
        minMessages,
        chats.countMostActive(tenant, minMessages),
        chats.mostActive(tenant, minMessages, limit).stream()
            .map(ConversationFigures::activity)
            .toList());
  }

  private static ChatActivity activity(ChatRepository.Chat chat) {
    return new ChatActivity(
        SessionId.of(chat.sessionId()),
        chat.chatId().value(),
        chat.name(),
        chat.lastInboundAt(),
        chat.lastOutboundAt(),
        chat.lastMessageAt(),
        chat.messageCount());
  }
}
