package io.flowmate.gateway.spi;

import io.flowmate.core.ChatId;
import java.time.Instant;

/**
 * Which message {@link WhatsAppTransport#findSent} looks for: the one handed over with this
 * idempotency key, to this chat, with this content, no earlier than {@code notBefore}. A transport
 * that remembers idempotency keys needs only the key; one that does not (WAHA) recognises the
 * message in the chat's history by its content and time.
 *
 * @param idempotencyKey the key the message was sent with ({@link SendOptions#idempotencyKey()})
 * @param chat where it was sent
 * @param message what was sent
 * @param notBefore when the send attempt began (the outbox claim): WhatsApp cannot have accepted
 *     the message earlier
 */
public record SentLookup(
    String idempotencyKey, ChatId chat, OutboundMessage message, Instant notBefore) {}
