package io.flowmate.admin.tenant;

import io.flowmate.admin.Plan;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tenant administration for the instance operator (keys holding {@code tenants:*}). */
@RestController
@RequestMapping("/api/v2/admin/tenants")
@Tag(name = "Tenants (operator)")
class TenantController {

  private final TenantService tenants;

  TenantController(TenantService tenants) {
    this.tenants = tenants;
  }

  record CreateTenantRequest(@NotBlank @Size(max = 200) String name, @NotNull Plan plan) {}

  record UpdateTenantRequest(@Size(min = 1, max = 200) String name, Plan plan) {}

  record TenantView(
      UUID id, String name, Plan plan, boolean operator, Instant createdAt, Instant updatedAt) {
    static TenantView of(Tenant tenant) {
      return new TenantView(
          tenant.id().value(),
          tenant.name(),
          tenant.plan(),
          tenant.operator(),
          tenant.createdAt(),
          tenant.updatedAt());
    }
  }

  /** The new tenant and its first key, whose raw value is shown only here. */
  record CreatedTenantView(TenantView tenant, String adminApiKey) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.TENANTS_MANAGE)
  @Operation(summary = "Create a tenant with a first admin key (scopes *)")
  CreatedTenantView create(@Valid @RequestBody CreateTenantRequest request) {
    var created = tenants.create(request.name().trim(), request.plan(), false, null);
    return new CreatedTenantView(
        TenantView.of(created.tenant()), created.adminKey().rawKey().value());
  }

  @GetMapping
  @RequiresScope(Scopes.TENANTS_READ)
  Page<TenantView> list(
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    PageQuery page = PageQuery.of(limit, offset);
    return Page.of(tenants.list(page).stream().map(TenantView::of).toList(), tenants.count(), page);
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.TENANTS_READ)
  TenantView get(@PathVariable UUID id) {
    return TenantView.of(tenants.get(TenantId.of(id)));
  }

  @PatchMapping("/{id}")
  @RequiresScope(Scopes.TENANTS_MANAGE)
  @Operation(summary = "Rename a tenant or change its plan")
  TenantView update(@PathVariable UUID id, @Valid @RequestBody UpdateTenantRequest request) {
    return TenantView.of(tenants.update(TenantId.of(id), request.name(), request.plan()));
  }
}
