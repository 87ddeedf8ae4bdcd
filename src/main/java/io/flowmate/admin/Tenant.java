package io.flowmate.admin;

import io.flowmate.core.TenantId;
import java.time.Instant;

/** A customer account: its plan, its settings, and whether it is the instance's operator. */
record Tenant(
    TenantId id,
    String name,
    Plan plan,
    boolean operator,
    TenantSettings settings,
    Instant createdAt,
    Instant updatedAt) {}
