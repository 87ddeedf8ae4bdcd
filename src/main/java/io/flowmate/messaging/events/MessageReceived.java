package io.flowmate.messaging.events;

import io.flowmate.core.LogSafe;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * Somebody wrote to one of the tenant's numbers. Ids only: read the message through the messaging
 * API if its content is needed.
 *
 * @param contactId the sender as a contact of the number (null in rare cases without identity)
 * @param groupMessage written in a WhatsApp group ({@code chatId} is the group)
 * @param senderPhone the sender's phone number (E.164 digits) when known, also when they wrote from
 *     their linked id ({@code <n>@lid})
 */
public record MessageReceived(
    TenantId tenantId,
    SessionId sessionId,
    MessageId messageId,
    String chatId,
    UUID contactId,
    boolean groupMessage,
    String messageType,
    Instant receivedAt,
    String senderPhone) {

  /** Ids only: events end up in logs, and the chat and the phone number are personal data. */
  @Override
  public String toString() {
    return "MessageReceived[tenantId=%s, sessionId=%s, messageId=%s, contactId=%s, groupMessage=%s, type=%s, at=%s]"
        .formatted(
            tenantId,
            sessionId,
            messageId,
            contactId,
            groupMessage,
            LogSafe.text(messageType),
            receivedAt);
  }
}
