package io.flowmate.admin.apikey;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** An API key as stored: everything but the secret, of which only a SHA-256 hash is kept. */
public record ApiKey(
    UUID id,
    TenantId tenantId,
    String name,
    String keyPrefix,
    Set<String> scopes,
    Instant expiresAt,
    Instant revokedAt,
    Instant lastUsedAt,
    Instant createdAt,
    Instant rotatedAt) {

  public ApiKey {
    scopes = Set.copyOf(scopes);
  }

  boolean isActive(Instant now) {
    return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
  }
}
