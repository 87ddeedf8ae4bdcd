package io.flowmate.admin.apikey;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.strings;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.TenantId;
import io.flowmate.core.security.Caller;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ApiKeyRepository {

  private static final String COLUMNS =
      "id, tenant_id, name, key_prefix, scopes, expires_at, revoked_at, last_used_at, created_at,"
          + " rotated_at";

  private final JdbcClient jdbc;

  ApiKeyRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(ApiKey key, byte[] hash) {
    jdbc.sql(
            "INSERT INTO admin_api_key ("
                + COLUMNS
                + ", key_hash) VALUES (:id, :tenant, :name,"
                + " :prefix, :scopes, :expiresAt, NULL, NULL, :createdAt, NULL, :hash)")
        .param("id", key.id())
        .param("tenant", key.tenantId().value())
        .param("name", key.name())
        .param("prefix", key.keyPrefix())
        .param("scopes", key.scopes().stream().sorted().toArray(String[]::new))
        .param("expiresAt", timestamp(key.expiresAt()))
        .param("createdAt", timestamp(key.createdAt()))
        .param("hash", hash)
        .update();
  }

  /** The key with this hash joined with what authentication needs from its tenant and plan. */
  Optional<AuthenticatedKeyRow> findByHash(byte[] hash) {
    return jdbc.sql(
            """
            SELECT k.*, t.operator, p.api_requests_per_minute
            FROM admin_api_key k
              JOIN admin_tenant t ON t.id = k.tenant_id
              JOIN admin_plan p ON p.id = t.plan_id
            WHERE k.key_hash = :hash
            """)
        .param("hash", hash)
        .query((rs, row) ->
            new AuthenticatedKeyRow(
                map(rs, row), rs.getBoolean("operator"), rs.getInt("api_requests_per_minute")))
        .optional();
  }

  /** The key with this id joined like {@link #findByHash}: for a stream ticket the key made. */
  Optional<AuthenticatedKeyRow> findAuthenticatedById(UUID id) {
    return jdbc.sql(
            """
            SELECT k.*, t.operator, p.api_requests_per_minute
            FROM admin_api_key k
              JOIN admin_tenant t ON t.id = k.tenant_id
              JOIN admin_plan p ON p.id = t.plan_id
            WHERE k.id = :id
            """)
        .param("id", id)
        .query((rs, row) ->
            new AuthenticatedKeyRow(
                map(rs, row), rs.getBoolean("operator"), rs.getInt("api_requests_per_minute")))
        .optional();
  }

  record AuthenticatedKeyRow(ApiKey key, boolean operator, int apiRequestsPerMinute) {
    AuthenticatedKey toAuthenticated() {
      return new AuthenticatedKey(
          new Caller(key.tenantId(), key.id(), key.scopes(), operator),
          apiRequestsPerMinute,
          key.lastUsedAt());
    }
  }

  List<ApiKey> list(TenantId tenant) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM admin_api_key WHERE tenant_id = :tenant ORDER BY created_at")
        .param("tenant", tenant.value())
        .query(ApiKeyRepository::map)
        .list();
  }

  Optional<ApiKey> find(TenantId tenant, UUID id) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM admin_api_key WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(ApiKeyRepository::map)
        .optional();
  }

  boolean revoke(TenantId tenant, UUID id, Instant now) {
    return jdbc.sql(
                "UPDATE admin_api_key SET revoked_at = :now WHERE tenant_id = :tenant AND id = :id"
                    + " AND revoked_at IS NULL")
            .param("tenant", tenant.value())
            .param("id", id)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  boolean replaceSecret(TenantId tenant, UUID id, String prefix, byte[] hash, Instant now) {
    return jdbc.sql(
                """
                UPDATE admin_api_key SET key_prefix = :prefix, key_hash = :hash, rotated_at = :now
                WHERE tenant_id = :tenant AND id = :id AND revoked_at IS NULL
                """)
            .param("tenant", tenant.value())
            .param("id", id)
            .param("prefix", prefix)
            .param("hash", hash)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  void touch(UUID id, Instant now) {
    jdbc.sql("UPDATE admin_api_key SET last_used_at = :now WHERE id = :id")
        .param("id", id)
        .param("now", timestamp(now))
        .update();
  }

  private static ApiKey map(ResultSet rs, int row) throws SQLException {
    return new ApiKey(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        rs.getString("name"),
        rs.getString("key_prefix"),
        new HashSet<>(strings(rs, "scopes")),
        instant(rs, "expires_at"),
        instant(rs, "revoked_at"),
        instant(rs, "last_used_at"),
        instant(rs, "created_at"),
        instant(rs, "rotated_at"));
  }
}
