package io.flowmate.messaging.delivery;

import static io.flowmate.core.db.Sql.timestamp;

import io.flowmate.gateway.spi.OutstandingSends;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells the gateway's liveness watchdog which messages WhatsApp accepted and never acknowledged:
 * outbound messages still {@code sent} (no ack of any kind has moved them on). Served by the
 * per-number {@code sent_at} index, over the few minutes since the session's last event.
 */
@Component
class UnacknowledgedSends implements OutstandingSends {

  private final JdbcClient jdbc;

  UnacknowledgedSends(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Instant> oldestUnacknowledgedSince(UUID sessionId, Instant since) {
    return jdbc.sql(
            """
            SELECT min(sent_at) FROM messaging_message
            WHERE session_id = :session AND direction = 'outbound' AND sent_at IS NOT NULL
              AND sent_at > :since AND status = 'sent'
            """)
        .param("session", sessionId)
        .param("since", timestamp(since))
        .query(Timestamp.class)
        .optional()
        .map(Timestamp::toInstant);
  }
}
