package io.flowmate.admin.apikey;

import io.flowmate.core.Ids;
import io.flowmate.core.InvalidValueException;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.Scopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Issues, authenticates, rotates and revokes API keys. */
@Service
public class ApiKeyService {

  /** How stale {@code last_used_at} may get before a request writes it again. */
  private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final ApiKeyRepository keys;
  private final StreamTickets tickets;
  private final Clock clock;

  ApiKeyService(ApiKeyRepository keys, StreamTickets tickets, Clock clock) {
    this.keys = keys;
    this.tickets = tickets;
    this.clock = clock;
  }

  public record IssuedKey(ApiKey key, RawApiKey rawKey) {}

  /**
   * Creates a key for the caller's tenant. A key can never hold more than the key that created it:
   * every requested scope must be granted to the caller.
   */
  @Transactional
  IssuedKey create(
      Caller caller, String name, List<String> scopes, String preset, Integer expiresInDays) {
    Set<String> requested = requestedScopes(scopes, preset);
    requireCovers(caller, requested, "grant");
    Instant expiresAt =
        expiresInDays == null ? null : clock.instant().plus(Duration.ofDays(expiresInDays));
    return issue(caller.tenantId(), name, requested, expiresAt);
  }

  /** Issues a key without a calling key: first start and tenant creation by the operator. */
  @Transactional
  public IssuedKey issue(TenantId tenant, String name, Set<String> scopes, Instant expiresAt) {
    return issue(tenant, name, scopes, expiresAt, RawApiKey.generate());
  }

  @Transactional
  public IssuedKey issue(
      TenantId tenant, String name, Set<String> scopes, Instant expiresAt, RawApiKey rawKey) {
    ApiKey key =
        new ApiKey(
            Ids.newId(),
            tenant,
            name,
            rawKey.displayPrefix(),
            scopes,
            expiresAt,
            null,
            null,
            clock.instant(),
            null);
    keys.insert(key, rawKey.hash());
    return new IssuedKey(key, rawKey);
  }

  private static Set<String> requestedScopes(List<String> scopes, String preset) {
    Set<String> requested = new LinkedHashSet<>();
    if (preset != null) {
      List<String> presetScopes = Scopes.PRESETS.get(preset.trim().toLowerCase());
      if (presetScopes == null) {
        throw new InvalidValueException(
            "Unknown preset '%s': use one of %s".formatted(preset, Scopes.PRESETS.keySet()));
      }
      requested.addAll(presetScopes);
    }
    if (scopes != null) {
      requested.addAll(scopes);
    }
    if (requested.isEmpty()) {
      throw new InvalidValueException(
          "scopes is required: list scopes such as \"messages:send\", or give a preset"
              + " (messaging, outreach, read_only)");
    }
    return Scopes.parse(requested);
  }

  /** The key behind a raw secret, when it exists and is neither revoked nor expired. */
  Optional<AuthenticatedKey> authenticate(String rawKey) {
    if (rawKey == null || !rawKey.startsWith(RawApiKey.PREFIX)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return keys.findByHash(RawApiKey.sha256(rawKey))
        .filter(row -> row.key().isActive(now))
        .map(row -> {
          Instant lastUsed = row.key().lastUsedAt();
          if (lastUsed == null || lastUsed.isBefore(now.minus(LAST_USED_RESOLUTION))) {
            keys.touch(row.key().id(), now);
          }
          return row.toAuthenticated();
        });
  }

  /**
   * The key behind a stream ticket, using the ticket up: when the ticket is unused and unexpired
   * and its key is still neither revoked nor expired. The caller has the scopes the ticket carries.
   */
  Optional<AuthenticatedKey> authenticateTicket(String ticket) {
    Instant now = clock.instant();
    return tickets
        .redeem(ticket)
        .flatMap(t ->
            keys.findAuthenticatedById(t.apiKeyId())
                .filter(row -> row.key().isActive(now) && row.key().tenantId().equals(t.tenantId()))
                .map(row ->
                    new AuthenticatedKey(
                        new Caller(t.tenantId(), t.apiKeyId(), t.scopes(), row.operator()),
                        row.apiRequestsPerMinute(),
                        row.key().lastUsedAt())));
  }

  List<ApiKey> list(TenantId tenant) {
    return keys.list(tenant);
  }

  /** The key, when the caller may act on it: same tenant, and no scope the caller lacks. */
  ApiKey get(Caller caller, UUID id) {
    ApiKey key = get(caller.tenantId(), id);
    requireCovers(caller, key.scopes(), "act on a key holding");
    return key;
  }

  private ApiKey get(TenantId tenant, UUID id) {
    return keys.find(tenant, id).orElseThrow(() -> ApiException.notFound("API key", id));
  }

  @Transactional
  IssuedKey rotate(Caller caller, UUID id) {
    ApiKey key = get(caller, id);
    if (key.revokedAt() != null) {
      throw ApiException.conflict("API key '%s' is revoked and cannot be rotated".formatted(id));
    }
    RawApiKey rawKey = RawApiKey.generate();
    keys.replaceSecret(
        caller.tenantId(), id, rawKey.displayPrefix(), rawKey.hash(), clock.instant());
    tickets.forgetKey(id);
    return new IssuedKey(get(caller.tenantId(), id), rawKey);
  }

  @Transactional
  void revoke(Caller caller, UUID id) {
    ApiKey key = get(caller, id);
    if (key.revokedAt() == null) {
      keys.revoke(caller.tenantId(), id, clock.instant());
    }
    tickets.forgetKey(id);
  }

  /**
   * A key acts only on what it holds itself: creating, reading, rotating or revoking a key with a
   * scope the caller lacks would hand the caller that scope (a rotation returns the new secret).
   * {@code *} needs {@code *}; the operator-only families also need a key of the operator tenant,
   * whatever a stored row says.
   */
  private static void requireCovers(Caller caller, Set<String> scopes, String action) {
    for (String scope : scopes.stream().sorted().toList()) {
      int colon = scope.indexOf(':');
      if (colon > 0
          && Scopes.OPERATOR_FAMILIES.contains(scope.substring(0, colon))
          && !caller.operator()) {
        throw ApiException.forbidden(
            "Only keys of the operator tenant can %s the scope '%s'".formatted(action, scope));
      }
      boolean held =
          scope.equals(Scopes.WILDCARD)
              ? caller.scopes().contains(Scopes.WILDCARD)
              : caller.has(scope);
      if (!held) {
        throw ApiException.forbidden(
            "A key cannot %s the scope '%s' that the calling key does not hold"
                .formatted(action, scope));
      }
    }
  }
}
