package io.flowmate.admin.tenant;

import io.flowmate.admin.Plan;
import io.flowmate.admin.TenantSettings;
import io.flowmate.core.TenantId;
import java.time.Instant;

/** A customer account: its plan, its settings, and whether it is the instance's operator. */
public record Tenant(
    TenantId id,
    String name,
    Plan plan,
    boolean operator,
    TenantSettings settings,
    Instant createdAt,
    Instant updatedAt) {}
