package io.flowmate.admin.apikey;

import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v2/api-keys")
@Tag(name = "API keys", description = "Scoped keys; the raw key is shown once")
class ApiKeyController {

  private final ApiKeyService keys;
  private final Clock clock;

  ApiKeyController(ApiKeyService keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  record CreateApiKeyRequest(
      @NotBlank @Size(max = 100) String name,
      List<@NotBlank String> scopes,
      String preset,
      @Min(1) @Max(3650) Integer expiresInDays) {}

  record ApiKeyView(
      UUID id,
      String name,
      String keyPrefix,
      List<String> scopes,
      Instant expiresAt,
      Instant createdAt,
      Instant lastUsedAt,
      Instant rotatedAt,
      Instant revokedAt,
      boolean isActive) {}

  record IssuedApiKeyView(
      UUID id,
      String name,
      String keyPrefix,
      String rawKey,
      List<String> scopes,
      Instant expiresAt,
      Instant createdAt,
      boolean isActive) {}

  record ScopeCatalog(Map<String, List<String>> families, Map<String, List<String>> presets) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.ACCOUNT_MANAGE)
  @Operation(summary = "Create a key; raw_key is returned only in this response")
  IssuedApiKeyView create(Caller caller, @Valid @RequestBody CreateApiKeyRequest request) {
    var issued =
        keys.create(
            caller, request.name(), request.scopes(), request.preset(), request.expiresInDays());
    return issued(issued);
  }

  @GetMapping
  @RequiresScope(Scopes.ACCOUNT_MANAGE)
  @Operation(summary = "List the tenant's keys (never their secrets)")
  List<ApiKeyView> list(Caller caller) {
    return keys.list(caller.tenantId()).stream().map(this::view).toList();
  }

  @GetMapping("/scopes")
  @RequiresScope({})
  @Operation(summary = "The scope families, their levels and the presets")
  ScopeCatalog scopes() {
    return new ScopeCatalog(Scopes.FAMILIES, Scopes.PRESETS);
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.ACCOUNT_MANAGE)
  ApiKeyView get(Caller caller, @PathVariable UUID id) {
    return view(keys.get(caller, id));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.ACCOUNT_MANAGE)
  @Operation(
      summary = "Revoke a key; it stops working at once",
      description = "Only keys whose scopes the calling key holds itself (as for create).")
  void revoke(Caller caller, @PathVariable UUID id) {
    keys.revoke(caller, id);
  }

  @PostMapping("/{id}/rotate")
  @RequiresScope(Scopes.ACCOUNT_MANAGE)
  @Operation(
      summary = "Replace the key's secret; the old secret stops working at once",
      description = "Only keys whose scopes the calling key holds itself (as for create).")
  IssuedApiKeyView rotate(Caller caller, @PathVariable UUID id) {
    return issued(keys.rotate(caller, id));
  }

  private IssuedApiKeyView issued(ApiKeyService.IssuedKey issued) {
    ApiKey key = issued.key();
    return new IssuedApiKeyView(
        key.id(),
        key.name(),
        key.keyPrefix(),
        issued.rawKey().value(),
        key.scopes().stream().sorted().toList(),
        key.expiresAt(),
        key.createdAt(),
        key.isActive(clock.instant()));
  }

  private ApiKeyView view(ApiKey key) {
    return new ApiKeyView(
        key.id(),
        key.name(),
        key.keyPrefix(),
        key.scopes().stream().sorted().toList(),
        key.expiresAt(),
        key.createdAt(),
        key.lastUsedAt(),
        key.rotatedAt(),
        key.revokedAt(),
        key.isActive(clock.instant()));
  }
}
