package io.flowmate.gateway.events;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.time.Instant;

/**
 * A session was deleted: its number is gone from the tenant. Published in the deleting transaction,
 * so that a persisted module listener tidies up what other modules kept for it.
 */
public record SessionDeleted(TenantId tenantId, SessionId sessionId, Instant occurredAt) {}
