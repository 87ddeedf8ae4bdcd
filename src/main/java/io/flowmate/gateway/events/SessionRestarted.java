package io.flowmate.gateway.events;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * The liveness watchdog restarted a session that stayed {@code working} while WhatsApp sent
 * nothing, or that the transport reported as not connected.
 *
 * @param cause {@code silent}, {@code probe_failed} or {@code not_working}
 * @param reason the same in words
 * @param accepted whether the transport carried the restart out (false: it refused or did not
 *     answer)
 * @param restartsInARow restarts since the session last showed life, this one included
 */
public record SessionRestarted(
    TenantId tenantId,
    UUID sessionId,
    String cause,
    String reason,
    boolean accepted,
    int restartsInARow,
    Instant occurredAt) {}
