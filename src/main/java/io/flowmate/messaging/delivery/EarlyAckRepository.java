package io.flowmate.messaging.delivery;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.delivery.DeliveryRepository.AckUpdate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Acks parked in the database until their message is recorded as sent ({@code
 * messaging_early_ack}).
 */
@Repository
class EarlyAckRepository {

  private final JdbcClient jdbc;

  EarlyAckRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void park(List<AckUpdate> acks, Instant now) {
    for (AckUpdate ack : acks) {
      jdbc.sql(
              """
              INSERT INTO messaging_early_ack (session_id, wa_message_id, status, failure_reason, acked_at, parked_at)
              VALUES (:session, :wa, :status, :error, :at, :now)
              """)
          .param("session", ack.sessionId())
          .param("wa", ack.waMessageId())
          .param("status", ack.status().value())
          .param("error", ack.error())
          .param("at", timestamp(ack.at() == null ? now : ack.at()))
          .param("now", timestamp(now))
          .update();
    }
  }

  /** Takes the parked acks whose message is recorded now (each taken by one transaction only). */
  List<AckUpdate> takeRecorded() {
    return jdbc.sql(
            """
            DELETE FROM messaging_early_ack e
            WHERE EXISTS (SELECT 1 FROM messaging_message m
                          WHERE m.session_id = e.session_id AND m.wa_message_id = e.wa_message_id)
            RETURNING e.session_id, e.wa_message_id, e.status, e.failure_reason, e.acked_at
            """)
        .query(EarlyAckRepository::map)
        .list();
  }

  /** Takes the acks parked for one message. */
  List<AckUpdate> take(UUID sessionId, String waMessageId) {
    return jdbc.sql(
            """
            DELETE FROM messaging_early_ack WHERE session_id = :session AND wa_message_id = :wa
            RETURNING session_id, wa_message_id, status, failure_reason, acked_at
            """)
        .param("session", sessionId)
        .param("wa", waMessageId)
        .query(EarlyAckRepository::map)
        .list();
  }

  /** Forgets acks parked before the cut-off: their message never came (sent from elsewhere). */
  int forgetParkedBefore(Instant cutoff) {
    return jdbc.sql("DELETE FROM messaging_early_ack WHERE parked_at < :cutoff")
        .param("cutoff", timestamp(cutoff))
        .update();
  }

  private static AckUpdate map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new AckUpdate(
        uuid(rs, "session_id"),
        rs.getString("wa_message_id"),
        MessageStatus.of(rs.getString("status")),
        rs.getString("failure_reason"),
        instant(rs, "acked_at"));
  }
}
