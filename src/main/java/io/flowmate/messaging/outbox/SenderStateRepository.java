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

  /** When the number may send next, as drawn after its last send; null if never drawn. */
  Instant nextSendAt(UUID sessionId) {
    return jdbc.sql("SELECT next_send_at FROM messaging_sender_state WHERE session_id = :session")
        .param("session", sessionId)
        .query((rs, row) -> instant(rs, "next_send_at"))
        .optional()
        .orElse(null);
  }

  /** Records when the number may send next (the row exists: its turn was taken first). */
  void setNextSendAt(UUID sessionId, Instant at) {
    jdbc.sql("UPDATE messaging_sender_state SET next_send_at = :at WHERE session_id = :session")
        .param("session", sessionId)
        .param("at", timestamp(at))
        .update();
  }

  /**
   * Takes the number's turn to send, unless another lane (of any instance) holds it: moves the
   * number's next send to {@code holdUntil} if it is due by {@code now}. The holder sets the real
   * next send after its send ({@link #setNextSendAt}) or gives the turn back ({@link
   * #giveBackTurn}); a holder that died frees it at {@code holdUntil}.
   */
  boolean takeTurn(TenantId tenant, UUID sessionId, Instant now, Instant holdUntil) {
    return jdbc.sql(
                """
                INSERT INTO messaging_sender_state AS s (session_id, tenant_id, next_send_at, updated_at)
                VALUES (:session, :tenant, :hold, :now)
                ON CONFLICT (session_id) DO UPDATE SET next_send_at = EXCLUDED.next_send_at
                WHERE s.next_send_at IS NULL OR s.next_send_at <= :now
                """)
            .param("session", sessionId)
            .param("tenant", tenant.value())
            .param("hold", timestamp(holdUntil))
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /** Gives back a turn taken for nothing (no message was sent), if it is still held. */
  void giveBackTurn(UUID sessionId, Instant heldUntil, Instant now) {
    jdbc.sql(
            """
            UPDATE messaging_sender_state SET next_send_at = :now
            WHERE session_id = :session AND next_send_at = :held
            """)
        .param("session", sessionId)
        .param("held", timestamp(heldUntil))
        .param("now", timestamp(now))
        .update();
  }
}
