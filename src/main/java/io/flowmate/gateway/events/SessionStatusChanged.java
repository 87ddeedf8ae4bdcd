package io.flowmate.gateway.events;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.time.Instant;

/**
 * A session's status moved ({@code stopped}, {@code starting}, {@code qr_code}, {@code working},
 * ...).
 */
public record SessionStatusChanged(
    TenantId tenantId,
    SessionId sessionId,
    String previousStatus,
    String status,
    Instant occurredAt) {}
