package io.flowmate.messaging.delivery;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.message.MessageRows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The ack state machine of outgoing messages (sent → delivered → read → played, never backwards),
 * and reply marks.
 */
@Repository
public class DeliveryRepository {

  private final JdbcClient jdbc;

  DeliveryRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * How far an outgoing message is, for acks: they only move it forward. Anything not on the sent →
   * played path (failed, cancelled) is past every ack; a message not sent yet is before all.
   */
  private static final String PROGRESS =
      "(CASE status WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 WHEN 'played' THEN 5"
          + " WHEN 'sending' THEN 0 WHEN 'queued' THEN 0 WHEN 'held' THEN 0"
          + " WHEN 'pending' THEN 0 ELSE 9 END)";

  /** An ack to apply: the message it concerns and the status it reached. */
  record AckUpdate(
      UUID sessionId, String waMessageId, MessageStatus status, String error, Instant at) {}

  /** A message an ack moved forward. */
  record AppliedAck(
      UUID messageId,
      TenantId tenantId,
      UUID sessionId,
      String waMessageId,
      MessageStatus status,
      Instant at,
      MessageRows.Moved moved) {}

  /** What a batch of acks did: the messages moved, and the acks for messages not recorded yet. */
  record AckOutcome(List<AppliedAck> applied, List<AckUpdate> unknown) {}

  /**
   * Moves outgoing messages forward on acks, in one statement for the whole batch; never backwards.
   */
  AckOutcome applyAcks(List<AckUpdate> acks) {
    if (acks.isEmpty()) {
      return new AckOutcome(List.of(), List.of());
    }
    var values = new StringBuilder();
    var statement = new ArrayList<Object>();
    for (int i = 0; i < acks.size(); i++) {
      AckUpdate ack = acks.get(i);
      values.append(i == 0 ? "" : ", ").append("(?::uuid, ?, ?, ?::int, ?, ?::timestamptz)");
      statement.add(ack.sessionId());
      statement.add(ack.waMessageId());
      statement.add(ack.status().value());
      statement.add(progress(ack.status()));
      statement.add(ack.error());
      statement.add(timestamp(ack.at()));
    }
    List<AppliedAck> applied =
        jdbc.sql(
                """
                WITH ack(session_id, wa_message_id, status, progress, error, at) AS (VALUES %s),
                best AS (
                  SELECT DISTINCT ON (session_id, wa_message_id) * FROM ack
                  ORDER BY session_id, wa_message_id, progress DESC, at)
                UPDATE messaging_message m SET
                  status = best.status,
                  failure_reason = CASE WHEN best.status = 'failed' THEN best.error ELSE m.failure_reason END,
                  delivered_at = CASE WHEN best.progress BETWEEN 3 AND 5 THEN COALESCE(m.delivered_at, best.at) ELSE m.delivered_at END,
                  read_at = CASE WHEN best.progress BETWEEN 4 AND 5 THEN COALESCE(m.read_at, best.at) ELSE m.read_at END,
                  played_at = CASE WHEN best.progress = 5 THEN COALESCE(m.played_at, best.at) ELSE m.played_at END,
                  updated_at = best.at
                FROM best, messaging_message before
                WHERE m.session_id = best.session_id AND m.wa_message_id = best.wa_message_id
                  AND m.direction = 'outbound'
                  AND %s < best.progress
                  AND before.id = m.id
                RETURNING m.wa_message_id, best.status, best.at, %s
                """
                    .formatted(
                        values,
                        PROGRESS.replace("status", "m.status"),
                        MessageRows.MOVED.formatted("before.status")))
            .params(statement)
            .query((rs, row) ->
                new AppliedAck(
                    uuid(rs, "id"),
                    TenantId.of(uuid(rs, "tenant_id")),
                    uuid(rs, "session_id"),
                    rs.getString("wa_message_id"),
                    MessageStatus.of(rs.getString("status")),
                    instant(rs, "at"),
                    MessageRows.moved(rs, row)))
            .list();
    var appliedKeys =
        applied.stream()
            .map(a -> a.sessionId() + "/" + a.waMessageId())
            .collect(java.util.stream.Collectors.toSet());
    List<AckUpdate> unapplied =
        acks.stream()
            .filter(a -> !appliedKeys.contains(a.sessionId() + "/" + a.waMessageId()))
            .toList();
    if (unapplied.isEmpty()) {
      return new AckOutcome(applied, List.of());
    }
    // An ack that moved nothing is late (the message is already as far), or early: the message is
    // not recorded as sent yet, or was recorded after the UPDATE's snapshot (read committed).
    Map<String, Integer> reached = new HashMap<>();
    jdbc.sql(
            """
            SELECT m.session_id || '/' || m.wa_message_id AS key, %s AS progress
            FROM messaging_message m
            JOIN unnest(CAST(:sessions AS uuid[]), CAST(:ids AS text[])) AS a(session_id, wa_message_id)
              ON m.session_id = a.session_id AND m.wa_message_id = a.wa_message_id
            """
                .formatted(PROGRESS))
        .param("sessions", unapplied.stream().map(AckUpdate::sessionId).toArray(UUID[]::new))
        .param("ids", unapplied.stream().map(AckUpdate::waMessageId).toArray(String[]::new))
        .query((rs, row) -> reached.put(rs.getString("key"), rs.getInt("progress")));
    return new AckOutcome(
        applied,
        unapplied.stream()
            .filter(a ->
                reached.getOrDefault(a.sessionId() + "/" + a.waMessageId(), 0)
                    < progress(a.status()))
            .toList());
  }

  private static int progress(MessageStatus status) {
    return status == MessageStatus.FAILED ? 6 : status.progress;
  }

  /**
   * Outgoing messages of the chat sent within the window get their reply mark.
   *
   * @return the messages marked now (their status is unchanged)
   */
  public List<MessageRows.Moved> markReplied(
      UUID sessionId, ChatId chat, Instant replyAt, Duration window) {
    return jdbc.sql(
            """
            UPDATE messaging_message m SET replied_at = :at, updated_at = :at
            WHERE session_id = :session AND chat_id = :chat AND direction = 'outbound'
              AND replied_at IS NULL AND sent_at IS NOT NULL
              AND sent_at BETWEEN :since AND :at
            RETURNING %s
            """
                .formatted(MessageRows.MOVED.formatted("m.status")))
        .param("session", sessionId)
        .param("chat", chat.value())
        .param("at", timestamp(replyAt))
        .param("since", timestamp(replyAt.minus(window)))
        .query(MessageRows::moved)
        .list();
  }
}
