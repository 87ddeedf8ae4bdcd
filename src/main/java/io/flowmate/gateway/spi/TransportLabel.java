package io.flowmate.gateway.spi;

/** A WhatsApp Business label; {@code id} is WhatsApp's and null before it exists there. */
public record TransportLabel(String id, String name, String colorHex) {}
