package io.flowmate.messaging.outbox;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the send governor remembers about a number: WhatsApp's restrictions on it, why it waits. */
@Repository
public class SenderStateRepository {

  /**
   * @param waitingReason why the number's queue waits, as the pacer last answered (may be stale
   *     once the number sends again: shown only on messages still queued)
   */
  record SenderState(
      UUID sessionId, Instant reachoutLockedUntil, String restriction, String waitingReason) {}

  private final JdbcClient jdbc;

  SenderStateRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<SenderState> find(UUID sessionId) {
    return jdbc.sql("SELECT * FROM messaging_sender_state WHERE session_id = :session")
        .param("session", sessionId)
        .query((rs, row) ->
            new SenderState(
                sessionId,
                instant(rs, "reachout_locked_until"),
                rs.getString("restriction"),
                rs.getString("waiting_reason")))
        .optional();
  }

  /**
   * Records why the number's queue waits; writes nothing when that is already the reason, so a
   * number waiting out the same kind of pause after every send costs no write per message.
   */
  void noteWaiting(TenantId tenant, UUID sessionId, String reason, Instant now) {
    jdbc.sql(
            """
            INSERT INTO messaging_sender_state AS s (session_id, tenant_id, waiting_reason, updated_at)
            VALUES (:session, :tenant, :reason, :now)
            ON CONFLICT (session_id) DO UPDATE SET
              waiting_reason = EXCLUDED.waiting_reason, updated_at = EXCLUDED.updated_at
            WHERE s.waiting_reason IS DISTINCT FROM EXCLUDED.waiting_reason
            """)
        .param("session", sessionId)
        .param("tenant", tenant.value())
        .param("reason", reason)
        .param("now", timestamp(now))
        .update();
  }

  /** Why the number's queue waits, if the pacer said so. */
  public Optional<String> waitingReason(UUID sessionId) {
    return jdbc.sql("SELECT waiting_reason FROM messaging_sender_state WHERE session_id = :session")
        .param("session", sessionId)
        .query((rs, row) -> rs.getString("waiting_reason"))
        .optional()
        .filter(reason -> reason != null);
  }

  /** Locks new-contact sends until the instant (keeps a later lock already recorded). */
  public void lockReachout(
      TenantId tenant, UUID sessionId, Instant until, String reason, Instant now) {
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
