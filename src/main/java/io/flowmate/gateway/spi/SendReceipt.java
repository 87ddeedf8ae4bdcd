package io.flowmate.gateway.spi;

import java.time.Instant;

/** WhatsApp accepted the message and gave it this id; acks refer to it. */
public record SendReceipt(String providerMessageId, Instant acceptedAt) {}
