package io.flowmate.gateway.events;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * Restarts did not bring a session back: it still looks {@code working} (or restarting) but
 * WhatsApp does not answer. Published once per episode; the watchdog then restarts it only every
 * {@code flowmate.gateway.liveness.backoff} until it recovers ({@link SessionRecovered}).
 *
 * @param restarts restarts in a row that did not help
 */
public record SessionUnhealthy(
    TenantId tenantId,
    UUID sessionId,
    String cause,
    String reason,
    int restarts,
    Instant occurredAt) {}
