package io.flowmate.messaging;

import io.flowmate.core.MessageId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.chats.ConversationQueries;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Read-only: every stored message, of every tenant, in the order they were stored, for modules that
 * build their own views from the history (analytics rebuilds its read models from it). Paged by id
 * over the primary key; runs in the caller's transaction, so a caller reading all pages in one
 * transaction sees one consistent history.
 */
@Service
public class MessageHistory {

  private final ConversationQueries messages;

  MessageHistory(ConversationQueries messages) {
    this.messages = messages;
  }

  /**
   * One stored message with the times of its steps.
   *
   * @param outbound ours (sent through Flowmate or typed on the phone) rather than received
   * @param status as the API shows it ({@code queued}, {@code sent}, ... {@code received})
   * @param originKind what queued it ({@code campaign}, {@code schedule}, {@code follow_up}), if
   *     any
   * @param senderPhone for a received message, the sender's phone number when known
   * @param contactId for a received message, the sender as a contact of the number (if known)
   * @param finishedAt for a failed or cancelled message, when it was last changed
   */
  public record StoredMessage(
      UUID id,
      TenantId tenantId,
      UUID sessionId,
      String chatId,
      boolean outbound,
      String status,
      String originKind,
      UUID originId,
      String failureReason,
      String senderPhone,
      UUID contactId,
      Instant createdAt,
      Instant sentAt,
      Instant deliveredAt,
      Instant readAt,
      Instant playedAt,
      Instant repliedAt,
      Instant finishedAt) {}

  /**
   * Up to {@code limit} messages stored after the one with {@code afterId} (use the nil UUID to
   * start).
   */
  public List<StoredMessage> after(MessageId afterId, int limit) {
    return messages.history(afterId.value(), limit);
  }
}
