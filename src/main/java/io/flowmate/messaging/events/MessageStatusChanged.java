package io.flowmate.messaging.events;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/** An outgoing message moved on: {@code sent}, {@code delivered}, {@code read}, {@code played}, {@code failed}, ... */
public record MessageStatusChanged(
    TenantId tenantId, UUID sessionId, UUID messageId, String status, Instant changedAt) {}
