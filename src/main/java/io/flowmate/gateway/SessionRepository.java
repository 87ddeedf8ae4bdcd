package io.flowmate.gateway;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class SessionRepository {

  /** A session row with the fields only the gateway needs. */
  record SessionRow(
      SessionInfo info,
      boolean shouldRun,
      String qrCode,
      String passkeyChallenge,
      String failureReason,
      String pushName,
      Instant updatedAt,
      Instant statusChangedAt,
      Instant lastEventAt,
      Instant unhealthySince) {}

  private final JdbcClient jdbc;

  SessionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(SessionInfo session, Instant now) {
    jdbc.sql(
            """
            INSERT INTO gateway_session (id, tenant_id, name, status, desired_state, created_at,
              updated_at, status_changed_at)
            VALUES (:id, :tenant, :name, 'stopped', 'stopped', :now, :now, :now)
            """)
        .param("id", session.id().value())
        .param("tenant", session.tenantId().value())
        .param("name", session.name())
        .param("now", timestamp(now))
        .update();
  }

  Optional<SessionRow> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM gateway_session WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(SessionRepository::map)
        .optional();
  }

  Optional<SessionRow> findById(UUID id) {
    return jdbc.sql("SELECT * FROM gateway_session WHERE id = :id")
        .param("id", id)
        .query(SessionRepository::map)
        .optional();
  }

  /** For transport events, which carry only the session id; locks the row for the update. */
  Optional<SessionRow> lock(UUID id) {
    return jdbc.sql("SELECT * FROM gateway_session WHERE id = :id FOR UPDATE")
        .param("id", id)
        .query(SessionRepository::map)
        .optional();
  }

  /**
   * Serialises creations of the tenant's sessions until the transaction ends, so that two requests
   * at once cannot both pass the plan's limit or both take one name.
   */
  void lockSessionsOf(TenantId tenant) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('gateway_session'), hashtext(:tenant))")
        .param("tenant", tenant.value().toString())
        .query((rs, row) -> 1)
        .single();
  }

  boolean existsByName(TenantId tenant, String name) {
    return jdbc.sql(
                "SELECT count(*) FROM gateway_session WHERE tenant_id = :tenant AND name = :name")
            .param("tenant", tenant.value())
            .param("name", name)
            .query(Long.class)
            .single()
        > 0;
  }

  long count(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM gateway_session WHERE tenant_id = :tenant")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  List<SessionRow> list(TenantId tenant, int limit, int offset) {
    return jdbc.sql(
            "SELECT * FROM gateway_session WHERE tenant_id = :tenant ORDER BY created_at, id"
                + " LIMIT :limit OFFSET :offset")
        .param("tenant", tenant.value())
        .param("limit", limit)
        .param("offset", offset)
        .query(SessionRepository::map)
        .list();
  }

  List<SessionRow> shouldRun() {
    return jdbc.sql("SELECT * FROM gateway_session WHERE desired_state = 'running'")
        .query(SessionRepository::map)
        .list();
  }

  void setDesiredState(UUID id, boolean run, Instant now) {
    jdbc.sql(
            "UPDATE gateway_session SET desired_state = :desired, updated_at = :now WHERE id = :id")
        .param("id", id)
        .param("desired", run ? "running" : "stopped")
        .param("now", timestamp(now))
        .update();
  }

  void updateStatus(
      UUID id,
      SessionStatus status,
      String qrCode,
      String passkeyChallenge,
      String phoneNumber,
      String pushName,
      String failureReason,
      Instant now) {
    jdbc.sql(
            """
            UPDATE gateway_session SET status = :status, qr_code = :qr, passkey_challenge = :passkey,
              phone_number = COALESCE(:phone, phone_number), push_name = COALESCE(:pushName, push_name),
              paired_at = CASE WHEN CAST(:phone AS text) IS NOT NULL AND paired_at IS NULL THEN :now ELSE paired_at END,
              failure_reason = :reason, updated_at = :now,
              status_changed_at = CASE WHEN status = :status THEN status_changed_at ELSE :now END
            WHERE id = :id
            """)
        .param("id", id)
        .param("status", status.value())
        .param("qr", qrCode)
        .param("passkey", passkeyChallenge)
        .param("phone", phoneNumber)
        .param("pushName", pushName)
        .param("reason", failureReason)
        .param("now", timestamp(now))
        .update();
  }

  void forgetPairing(UUID id, Instant now) {
    jdbc.sql(
            "UPDATE gateway_session SET phone_number = NULL, push_name = NULL, qr_code = NULL,"
                + " passkey_challenge = NULL, paired_at = NULL, updated_at = :now WHERE id = :id")
        .param("id", id)
        .param("now", timestamp(now))
        .update();
  }

  void delete(UUID id) {
    jdbc.sql("DELETE FROM gateway_session WHERE id = :id").param("id", id).update();
  }

  private static SessionRow map(ResultSet rs, int row) throws SQLException {
    return new SessionRow(
        new SessionInfo(
            SessionId.of(uuid(rs, "id")),
            TenantId.of(uuid(rs, "tenant_id")),
            rs.getString("name"),
            SessionStatus.of(rs.getString("status")),
            rs.getString("phone_number"),
            rs.getBoolean("is_business"),
            instant(rs, "paired_at"),
            instant(rs, "created_at")),
        "running".equals(rs.getString("desired_state")),
        rs.getString("qr_code"),
        rs.getString("passkey_challenge"),
        rs.getString("failure_reason"),
        rs.getString("push_name"),
        instant(rs, "updated_at"),
        instant(rs, "status_changed_at"),
        instant(rs, "last_event_at"),
        instant(rs, "unhealthy_since"));
  }
}
