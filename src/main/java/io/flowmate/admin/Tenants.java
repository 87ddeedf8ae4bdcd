package io.flowmate.admin;

import io.flowmate.admin.tenant.Tenant;
import io.flowmate.admin.tenant.TenantRepository;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import org.springframework.stereotype.Service;

/** What other modules may ask about a tenant: its settings and its plan's limits. */
@Service
public class Tenants {

  private final TenantRepository tenants;

  Tenants(TenantRepository tenants) {
    this.tenants = tenants;
  }

  public TenantSettings settings(TenantId tenantId) {
    return tenants.find(tenantId).map(Tenant::settings).orElseThrow(() -> unknown(tenantId));
  }

  public PlanLimits limits(TenantId tenantId) {
    return tenants.limits(tenantId).orElseThrow(() -> unknown(tenantId));
  }

  private static ApiException unknown(TenantId tenantId) {
    return ApiException.notFound("Tenant", tenantId);
  }
}
