package io.flowmate.messaging;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the send governor remembers about a number: WhatsApp's restrictions on it. */
@Repository
class SenderStateRepository {

  record SenderState(UUID sessionId, Instant reachoutLockedUntil, String restriction) {}

  private final JdbcClient jdbc;

  SenderStateRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<SenderState> find(UUID sessionId) {
    return jdbc.sql("SELECT * FROM messaging_sender_state WHERE session_id = :session")
        .param("session", sessionId)
        .query(
            (rs, row) ->
                new SenderState(
                    sessionId, instant(rs, "reachout_locked_until"), rs.getString("restriction")))
        .optional();
  }

  /** Locks new-contact sends until the instant (keeps a later lock already recorded). */
  void lockReachout(TenantId tenant, UUID sessionId, Instant until, String reason, Instant now) {
    jdbc.sql(
            """
            INSERT INTO messaging_sender_state AS s (session_id, tenant_id, reachout_locked_until,
              restriction, updated_at)
            VALUES (:session, :tenant, :until, :reason, :now)
            ON CONFLICT (session_id) DO UPDATE SET
              reachout_locked_until = GREATEST(s.reachout_locked_until, EXCLUDED.reachout_locked_until),
              restriction = EXCLUDED.restriction, updated_at = EXCLUDED.updated_at
            """)
        .param("session", sessionId)
        .param("tenant", tenant.value())
        .param("until", timestamp(until))
        .param("reason", reason)
        .param("now", timestamp(now))
        .update();
  }
}
