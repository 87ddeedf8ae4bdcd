package io.flowmate.messaging.outbox;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;

import io.flowmate.core.ChatId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What a number sent, for the send governor's pacing and the send policy's guards. */
@Repository
class SendHistory {

  private final JdbcClient jdbc;

  SendHistory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** When the number's sends since the instant happened, oldest first. */
  List<Instant> sendTimesSince(UUID sessionId, Instant since) {
    return jdbc.sql(
            "SELECT sent_at FROM messaging_message WHERE session_id = :session"
                + " AND direction = 'outbound' AND sent_at >= :since ORDER BY sent_at")
        .param("session", sessionId)
        .param("since", timestamp(since))
        .query((rs, row) -> instant(rs, "sent_at"))
        .list();
  }

  /** Whether the same body went to the chat since the instant (duplicate-body guard). */
  boolean sameBodySentSince(UUID sessionId, ChatId chat, byte[] bodyHash, Instant since) {
    return jdbc.sql(
                """
                SELECT count(*) FROM messaging_message
                WHERE session_id = :session AND chat_id = :chat AND body_hash = :hash
                  AND direction = 'outbound'
                  AND (sent_at >= :since OR status IN ('pending', 'queued', 'held', 'sending'))
                """)
            .param("session", sessionId)
            .param("chat", chat.value())
            .param("hash", bodyHash)
            .param("since", timestamp(since))
            .query(Long.class)
            .single()
        > 0;
  }

  /** Whether the number ever successfully messaged this chat (a "warm" contact). */
  boolean everSentTo(UUID sessionId, ChatId chat) {
    return jdbc.sql(
                "SELECT count(*) FROM messaging_message WHERE session_id = :session AND chat_id = :chat"
                    + " AND direction = 'outbound' AND status IN ('sent', 'delivered', 'read', 'played')")
            .param("session", sessionId)
            .param("chat", chat.value())
            .query(Long.class)
            .single()
        > 0;
  }
}
