package io.flowmate.admin.tenant;

import io.flowmate.admin.Plan;
import io.flowmate.admin.TenantSettings;
import io.flowmate.admin.apikey.ApiKeyService;
import io.flowmate.admin.apikey.RawApiKey;
import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Scopes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates tenants, each with a first admin key, and changes their name and plan. */
@Service
public class TenantService {

  static final TenantSettings DEFAULT_SETTINGS =
      new TenantSettings(List.of(), false, true, false, false, "UTC", null, null);

  private final TenantRepository tenants;
  private final ApiKeyService keys;
  private final Clock clock;

  TenantService(TenantRepository tenants, ApiKeyService keys, Clock clock) {
    this.tenants = tenants;
    this.keys = keys;
    this.clock = clock;
  }

  public record CreatedTenant(Tenant tenant, ApiKeyService.IssuedKey adminKey) {}

  @Transactional
  public CreatedTenant create(String name, Plan plan, boolean operator, RawApiKey presetKey) {
    Instant now = clock.instant();
    Tenant tenant =
        new Tenant(TenantId.of(Ids.newId()), name, plan, operator, DEFAULT_SETTINGS, now, now);
    tenants.insert(tenant);
    Set<String> scopes =
        operator ? Set.of(Scopes.WILDCARD, Scopes.TENANTS_MANAGE) : Set.of(Scopes.WILDCARD);
    var key =
        presetKey == null
            ? keys.issue(tenant.id(), "admin", scopes, null)
            : keys.issue(tenant.id(), "admin", scopes, null, presetKey);
    return new CreatedTenant(tenant, key);
  }

  /**
   * Issues a new admin key ({@code *} and {@code tenants:*}) for the operator tenant, for an
   * operator who lost theirs; existing keys stay valid until someone revokes them with the new one.
   */
  @Transactional
  public ApiKeyService.IssuedKey issueOperatorKey() {
    Tenant operator =
        tenants
            .findOperator()
            .orElseThrow(
                () -> new IllegalStateException("There is no operator tenant to issue a key for"));
    return keys.issue(
        operator.id(),
        "admin (reset " + clock.instant() + ")",
        Set.of(Scopes.WILDCARD, Scopes.TENANTS_MANAGE),
        null);
  }

  Tenant get(TenantId id) {
    return tenants.find(id).orElseThrow(() -> ApiException.notFound("Tenant", id));
  }

  List<Tenant> list(PageQuery page) {
    return tenants.list(page);
  }

  public long count() {
    return tenants.count();
  }

  @Transactional
  Tenant update(TenantId id, String name, Plan plan) {
    Tenant tenant = get(id);
    tenants.update(
        id,
        name == null ? tenant.name() : name,
        plan == null ? tenant.plan() : plan,
        clock.instant());
    return get(id);
  }
}
