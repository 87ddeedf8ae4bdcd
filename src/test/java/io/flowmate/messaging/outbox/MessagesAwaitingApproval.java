package io.flowmate.messaging.outbox;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.message.Message;
import java.time.Instant;
import java.util.UUID;

/** A message held back for approval, as the send and cancel workers load it. */
final class MessagesAwaitingApproval {

  static final Instant CREATED_AT = Instant.parse("2026-03-02T09:00:00Z");

  private MessagesAwaitingApproval() {}

  static Message message(TenantId tenant, UUID sessionId, UUID approvalId) {
    return new Message(
        UUID.randomUUID(),
        tenant,
        sessionId,
        ChatId.parse("4915100000001@c.us"),
        Message.Direction.OUTBOUND,
        "api",
        Message.Content.text("Your order is ready"),
        new Message.Sender(null, null, null),
        MessageStatus.PENDING,
        null,
        null,
        null,
        null,
        approvalId,
        null,
        null,
        0,
        new Message.Times(CREATED_AT, CREATED_AT, null, null, null, null, null, null, null, null),
        null);
  }
}
