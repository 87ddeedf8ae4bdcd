package io.flowmate.gateway.spi;

/**
 * @param idempotencyKey our outbox id for the message: transports that can deduplicate use it, and
 *     {@link WhatsAppTransport#findSent} may look it up ({@link SentLookup#idempotencyKey()})
 * @param replyTo the provider id of the message to quote, or null
 */
public record SendOptions(String idempotencyKey, String replyTo) {}
