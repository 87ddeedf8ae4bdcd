package io.flowmate.messaging.events;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/** A number met a new contact, or learned the second form (LID or phone) of a known one. */
public record ContactLearned(
    TenantId tenantId, SessionId sessionId, UUID contactId, Instant learnedAt) {}
