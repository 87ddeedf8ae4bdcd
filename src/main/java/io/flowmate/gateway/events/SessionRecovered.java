package io.flowmate.gateway.events;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A session the liveness watchdog restarted shows life again (WhatsApp sent an event, or the
 * transport finds it connected).
 *
 * @param wasUnhealthy whether it had been reported unhealthy ({@link SessionUnhealthy})
 */
public record SessionRecovered(
    TenantId tenantId, UUID sessionId, int restarts, boolean wasUnhealthy, Instant occurredAt) {}
