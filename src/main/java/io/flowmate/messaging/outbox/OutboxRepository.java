package io.flowmate.messaging.outbox;

import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.timestampText;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.TenantId;
import io.flowmate.core.db.ProcessColumns;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.Outbox;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageRows;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Outgoing messages as the outbox holds them before they are claimed: queued from the API or in
 * bulk by another module's process, moved while their origin pauses or ends, released or cancelled
 * by their approval, and the approval instances' engine epoch.
 */
@Repository
public class OutboxRepository {

  private final JdbcClient jdbc;
  private final ProcessColumns processColumns;

  OutboxRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
    this.processColumns =
        new ProcessColumns(
            jdbc, "messaging_message", "status = 'pending' AND approval_id IS NOT NULL");
  }

  void insertOutbound(Message m, byte[] bodyHash) {
    jdbc.sql(
            """
            INSERT INTO messaging_message (id, tenant_id, session_id, chat_id, direction, source,
              message_type, body, payload, media_id, reply_to, status, idempotency_key,
              request_hash, body_hash, approval_id, engine_epoch, created_at, updated_at)
            VALUES (:id, :tenant, :session, :chat, 'outbound', :source, :type, :body,
              CAST(:payload AS jsonb), :media, :replyTo, :status, :key, :hash, :bodyHash, :approval,
              :epoch, :now, :now)
            """)
        .param("id", m.id())
        .param("tenant", m.tenantId().value())
        .param("session", m.sessionId())
        .param("chat", m.chatId().value())
        .param("source", m.source())
        .param("type", m.content().type().value())
        .param("body", m.content().body())
        .param("payload", MessageRows.json(m.content().payload()))
        .param("media", m.content().mediaId())
        .param("replyTo", m.content().replyTo())
        .param("status", m.status().value())
        .param("key", m.idempotencyKey())
        .param("hash", m.requestHash())
        .param("bodyHash", bodyHash)
        .param("approval", m.approvalId())
        .param("epoch", m.engineEpoch())
        .param("now", timestamp(m.times().createdAt()))
        .update();
  }

  /**
   * Queues outgoing messages of another module's process in one statement; a message whose
   * idempotency key the tenant used before is skipped, so a batch can be planned again after a
   * crash without queueing anything twice.
   *
   * @param bodyHashes per message, the duplicate guard's hash of its text (null: exempt)
   * @return the ids of those that were new
   */
  public List<UUID> insertFromOrigin(
      List<Message> rows,
      List<byte[]> bodyHashes,
      String originKind,
      UUID originId,
      Outbox.SendGap gap) {
    if (rows.isEmpty()) {
      return List.of();
    }
    HexFormat hex = HexFormat.of();
    return jdbc.sql(
            """
            INSERT INTO messaging_message (id, tenant_id, session_id, chat_id, direction, source,
              message_type, body, payload, status, idempotency_key, body_hash, origin_kind, origin_id,
              send_gap_min_ms, send_gap_max_ms, created_at, updated_at)
            SELECT id, tenant, session, chat, 'outbound', :kind, type, body, payload, status, key,
              decode(body_hash, 'hex'), :kind, :origin, :gapMin, :gapMax, at, at
            FROM unnest(CAST(:ids AS uuid[]), CAST(:tenants AS uuid[]), CAST(:sessions AS uuid[]),
              CAST(:chats AS text[]), CAST(:types AS text[]), CAST(:bodies AS text[]),
              CAST(:payloads AS jsonb[]), CAST(:statuses AS text[]), CAST(:keys AS text[]),
              CAST(:bodyHashes AS text[]), CAST(:ats AS timestamptz[]))
              AS m(id, tenant, session, chat, type, body, payload, status, key, body_hash, at)
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            RETURNING id
            """)
        .param("kind", originKind)
        .param("origin", originId)
        .param("gapMin", gap == null ? null : (int) gap.min().toMillis())
        .param("gapMax", gap == null ? null : (int) gap.max().toMillis())
        .param("ids", MessageRows.column(rows, Message::id, UUID[]::new))
        .param("tenants", MessageRows.column(rows, m -> m.tenantId().value(), UUID[]::new))
        .param("sessions", MessageRows.column(rows, Message::sessionId, UUID[]::new))
        .param("chats", MessageRows.column(rows, m -> m.chatId().value(), String[]::new))
        .param("types", MessageRows.column(rows, m -> m.content().type().value(), String[]::new))
        .param("bodies", MessageRows.column(rows, m -> m.content().body(), String[]::new))
        .param(
            "payloads",
            MessageRows.column(rows, m -> MessageRows.json(m.content().payload()), String[]::new))
        .param("statuses", MessageRows.column(rows, m -> m.status().value(), String[]::new))
        .param("keys", MessageRows.column(rows, Message::idempotencyKey, String[]::new))
        .param(
            "bodyHashes",
            bodyHashes.stream()
                .map(h -> h == null ? null : hex.formatHex(h))
                .toArray(String[]::new))
        .param(
            "ats",
            MessageRows.column(rows, m -> timestampText(m.times().createdAt()), String[]::new))
        .query(UUID.class)
        .list();
  }

  /**
   * Cancels every message of the origin that has not left yet (pending, queued or held), with the
   * reason.
   */
  public List<MessageRows.Moved> cancelOriginMessages(UUID originId, String reason, Instant now) {
    return jdbc.sql(
            """
            UPDATE messaging_message m SET status = %s,
              failure_reason = COALESCE(:reason, m.failure_reason), updated_at = :now
            FROM messaging_message before
            WHERE before.id = m.id AND m.origin_id = :origin
              AND %s
            RETURNING %s
            """
                .formatted(
                    MessageStatus.CANCELLED.sql(),
                    MessageStatus.CANCELLED.whereMovableFromAny("m.status"),
                    MessageRows.MOVED.formatted("before.status")))
        .param("origin", originId)
        .param("reason", reason)
        .param("now", timestamp(now))
        .query(MessageRows::moved)
        .list();
  }

  /**
   * Moves an origin's messages from one waiting status to another ({@code queued} ⇄ {@code held},
   * or either to {@code cancelled} with a reason); messages already claimed or sent are left alone.
   *
   * @return the sessions whose messages moved
   */
  public List<UUID> moveOriginMessages(
      UUID originId, List<MessageStatus> from, MessageStatus to, String reason, Instant now) {
    from.forEach(status -> status.checkMoveTo(to));
    return jdbc
        .sql(
            """
            UPDATE messaging_message SET status = :to, failure_reason = COALESCE(:reason, failure_reason),
              updated_at = :now
            WHERE origin_id = :origin AND status = ANY (CAST(:from AS text[]))
            RETURNING session_id
            """)
        .param("origin", originId)
        .param("from", from.stream().map(MessageStatus::value).toArray(String[]::new))
        .param("to", to.value())
        .param("reason", reason)
        .param("now", timestamp(now))
        .query(UUID.class)
        .list()
        .stream()
        .distinct()
        .toList();
  }

  /**
   * How many of an origin's messages stand at each status (internal {@code sending} as {@code
   * queued}).
   */
  public Map<MessageStatus, Long> countByStatus(UUID originId) {
    return countByStatus(List.of(originId))
        .getOrDefault(originId, new java.util.EnumMap<>(MessageStatus.class));
  }

  /** {@link #countByStatus(UUID)} for many origins in one query (a page of campaigns). */
  public Map<UUID, Map<MessageStatus, Long>> countByStatus(Collection<UUID> originIds) {
    Map<UUID, Map<MessageStatus, Long>> counts = new java.util.HashMap<>();
    if (originIds.isEmpty()) {
      return counts;
    }
    jdbc.sql(
            """
            SELECT origin_id, status, count(*) AS n FROM messaging_message
             WHERE origin_id = ANY (CAST(:origins AS uuid[])) GROUP BY origin_id, status
            """)
        .param("origins", originIds.toArray(UUID[]::new))
        .query(rs -> {
          counts
              .computeIfAbsent(
                  uuid(rs, "origin_id"), o -> new java.util.EnumMap<>(MessageStatus.class))
              .merge(
                  MessageStatus.of(rs.getString("status")).visible(), rs.getLong("n"), Long::sum);
        });
    return counts;
  }

  /**
   * Fails those of the given messages whose text already went (or is about to go) to the same chat
   * from the same number within the window: the duplicate guard for messages queued in bulk.
   *
   * @param reason the failure reason; {@code {chat}} is replaced by each message's chat
   * @param previous the status the messages were queued with ({@code queued} or {@code held})
   */
  public List<MessageRows.Moved> failRepeatedTexts(
      List<UUID> ids, Instant since, String reason, MessageStatus previous, Instant now) {
    return jdbc.sql(
            """
            UPDATE messaging_message m SET status = %s, updated_at = :now,
              failure_reason = replace(:reason, '{chat}', m.chat_id)
            WHERE m.id = ANY (CAST(:ids AS uuid[])) AND m.body_hash IS NOT NULL
              AND %s
              AND EXISTS (SELECT 1 FROM messaging_message o
                WHERE o.session_id = m.session_id AND o.chat_id = m.chat_id AND o.body_hash = m.body_hash
                  AND o.id <> m.id AND o.direction = 'outbound'
                  AND (o.sent_at >= :since OR o.status IN ('pending', 'queued', 'held', 'sending')))
            RETURNING %s
            """
                .formatted(
                    MessageStatus.FAILED.sql(),
                    MessageStatus.FAILED.whereMovableFrom(
                        "m.status", MessageStatus.QUEUED, MessageStatus.HELD),
                    MessageRows.MOVED.formatted("CAST(:previous AS text)")))
        .param("ids", ids.toArray(UUID[]::new))
        .param("since", timestamp(since))
        .param("reason", reason)
        .param("previous", previous.value())
        .param("now", timestamp(now))
        .query(MessageRows::moved)
        .list();
  }

  public boolean originHasWaiting(UUID originId) {
    return jdbc.sql(
            """
            SELECT EXISTS (SELECT 1 FROM messaging_message WHERE origin_id = :origin
              AND status IN ('pending', 'queued', 'held', 'sending'))
            """)
        .param("origin", originId)
        .query(Boolean.class)
        .single();
  }

  /** An origin's messages, oldest first, optionally of one visible status. */
  public List<Message> ofOrigin(UUID originId, MessageStatus status, int limit, long offset) {
    List<String> statuses =
        status == null
            ? List.of()
            : status == MessageStatus.QUEUED
                ? List.of("queued", "sending")
                : List.of(status.value());
    return jdbc.sql(
            """
            SELECT * FROM messaging_message
            WHERE origin_id = :origin AND (cardinality(CAST(:statuses AS text[])) = 0
              OR status = ANY (CAST(:statuses AS text[])))
            ORDER BY created_at, id LIMIT :limit OFFSET :offset
            """)
        .param("origin", originId)
        .param("statuses", statuses.toArray(String[]::new))
        .param("limit", limit)
        .param("offset", offset)
        .query(MessageRows::message)
        .list();
  }

  Optional<Message> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM messaging_message WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(MessageRows::message)
        .optional();
  }

  Optional<Message> findById(UUID id) {
    return jdbc.sql("SELECT * FROM messaging_message WHERE id = :id")
        .param("id", id)
        .query(MessageRows::message)
        .optional();
  }

  Optional<Message> findByIdempotencyKey(TenantId tenant, String key) {
    return jdbc.sql(
            "SELECT * FROM messaging_message WHERE tenant_id = :tenant AND idempotency_key = :key")
        .param("tenant", tenant.value())
        .param("key", key)
        .query(MessageRows::message)
        .optional();
  }

  /** Releases a message awaiting approval into the outbox, optionally with the approver's text. */
  boolean queueIfPending(UUID id, String replacementBody, byte[] replacementHash, Instant now) {
    return jdbc.sql(
                """
                UPDATE messaging_message SET status = %s, body = COALESCE(:body, body),
                  body_hash = COALESCE(:hash, body_hash), next_attempt_at = NULL, updated_at = :now
                WHERE id = :id AND %s
                """
                    .formatted(
                        MessageStatus.QUEUED.sql(),
                        MessageStatus.QUEUED.whereMovableFrom("status", MessageStatus.PENDING)))
            .param("id", id)
            .param("body", replacementBody)
            .param("hash", replacementHash)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /** Cancels a message that has not been claimed for sending yet. */
  boolean cancelUnsent(UUID id, String reason, Instant now) {
    return jdbc.sql(
                """
                UPDATE messaging_message SET status = %s, failure_reason = :reason,
                  updated_at = :now
                WHERE id = :id AND %s
                """
                    .formatted(
                        MessageStatus.CANCELLED.sql(),
                        MessageStatus.CANCELLED.whereMovableFrom(
                            "status", MessageStatus.PENDING, MessageStatus.QUEUED)))
            .param("id", id)
            .param("reason", reason)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  boolean cancelIfPending(UUID id, String reason, Instant now) {
    return jdbc.sql(
                """
                UPDATE messaging_message SET status = %s, failure_reason = :reason,
                  updated_at = :now
                WHERE id = :id AND %s
                """
                    .formatted(
                        MessageStatus.CANCELLED.sql(),
                        MessageStatus.CANCELLED.whereMovableFrom("status", MessageStatus.PENDING)))
            .param("id", id)
            .param("reason", reason)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /** Messages waiting for approval whose process instance is not in the current engine. */
  List<Message> awaitingApprovalOutside(String epoch, int limit) {
    return processColumns.liveOutside(epoch, limit, MessageRows::message);
  }

  /** Takes the row over for the epoch, unless another node or thread did first. */
  boolean claimForEpoch(UUID id, String previousEpoch, String epoch) {
    return processColumns.claimForEpoch(id, previousEpoch, epoch);
  }

  void attachProcess(UUID id, Long processInstanceKey, String epoch) {
    processColumns.attach(id, processInstanceKey, epoch);
  }
}
