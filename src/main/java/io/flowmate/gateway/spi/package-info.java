/**
 * The one interface through which Flowmate reaches WhatsApp, and the normalised events transports
 * report. Pacing, anti-ban policy, the outbox and idempotency live above it, in messaging, so that
 * every transport gets them.
 */
@org.springframework.modulith.NamedInterface("spi")
package io.flowmate.gateway.spi;
