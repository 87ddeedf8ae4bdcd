package io.flowmate.messaging;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableInt;
import static io.flowmate.core.db.Sql.nullableLong;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.timestampText;
import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.core.db.ProcessColumns;
import io.flowmate.core.api.PageQuery;
import io.flowmate.messaging.events.MessageStatusChanged;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The messages and their outbox state. All SQL on {@code messaging_message} lives here. */
@Repository
class MessageRepository {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ProcessColumns processColumns;
  private final ObjectMapper json = new ObjectMapper();

  MessageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
    this.processColumns = new ProcessColumns(jdbc, "messaging_message", "status = 'pending' AND approval_id IS NOT NULL");
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
        .param("payload", write(m.content().payload()))
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
   * Stores messages that appeared in chats, each once however often the transport reports it
   * (incoming ones, and ours typed on the phone), in one round trip for all of them.
   *
   * @return those not stored before, in the order given
   */
  List<Message> insertObserved(List<Message> observed) {
    if (observed.isEmpty()) {
      return List.of();
    }
    Set<UUID> inserted =
        new HashSet<>(
            jdbc.sql(
                    """
                    INSERT INTO messaging_message (id, tenant_id, session_id, chat_id, direction, source,
                      message_type, body, payload, reply_to, sender_phone, sender_lid, sender_name,
                      status, wa_message_id, sent_at, created_at, updated_at)
                    SELECT id, tenant, session, chat, direction, source, type, body, payload, reply_to,
                      sender_phone, sender_lid, sender_name, status, wa_id, sent_at, at, at
                    FROM unnest(CAST(:ids AS uuid[]), CAST(:tenants AS uuid[]), CAST(:sessions AS uuid[]),
                      CAST(:chats AS text[]), CAST(:directions AS text[]), CAST(:sources AS text[]),
                      CAST(:types AS text[]), CAST(:bodies AS text[]), CAST(:payloads AS jsonb[]),
                      CAST(:replyTos AS text[]), CAST(:senderPhones AS text[]), CAST(:senderLids AS text[]),
                      CAST(:senderNames AS text[]), CAST(:statuses AS text[]), CAST(:waIds AS text[]),
                      CAST(:sentAts AS timestamptz[]), CAST(:ats AS timestamptz[]))
                      AS m(id, tenant, session, chat, direction, source, type, body, payload, reply_to,
                        sender_phone, sender_lid, sender_name, status, wa_id, sent_at, at)
                    ON CONFLICT (session_id, wa_message_id) WHERE wa_message_id IS NOT NULL DO NOTHING
                    RETURNING id
                    """)
                .param("ids", column(observed, Message::id, UUID[]::new))
                .param("tenants", column(observed, m -> m.tenantId().value(), UUID[]::new))
                .param("sessions", column(observed, Message::sessionId, UUID[]::new))
                .param("chats", column(observed, m -> m.chatId().value(), String[]::new))
                .param("directions", column(observed, m -> m.direction().value(), String[]::new))
                .param("sources", column(observed, Message::source, String[]::new))
                .param("types", column(observed, m -> m.content().type().value(), String[]::new))
                .param("bodies", column(observed, m -> m.content().body(), String[]::new))
                .param("payloads", column(observed, m -> write(m.content().payload()), String[]::new))
                .param("replyTos", column(observed, m -> m.content().replyTo(), String[]::new))
                .param("senderPhones", column(observed, m -> m.sender().phone(), String[]::new))
                .param("senderLids", column(observed, m -> m.sender().lid(), String[]::new))
                .param("senderNames", column(observed, m -> m.sender().name(), String[]::new))
                .param("statuses", column(observed, m -> m.status().value(), String[]::new))
                .param("waIds", column(observed, Message::waMessageId, String[]::new))
                .param("sentAts", column(observed, m -> timestampText(m.times().sentAt()), String[]::new))
                .param("ats", column(observed, m -> timestampText(m.times().createdAt()), String[]::new))
                .query(UUID.class)
                .list());
    return observed.stream().filter(m -> inserted.contains(m.id())).toList();
  }

  /**
   * Queues outgoing messages of another module's process in one statement; a message whose
   * idempotency key the tenant used before is skipped, so a batch can be planned again after a
   * crash without queueing anything twice.
   *
   * @param bodyHashes per message, the duplicate guard's hash of its text (null: exempt)
   * @return the ids of those that were new
   */
  List<UUID> insertFromOrigin(
      List<Message> rows, List<byte[]> bodyHashes, String originKind, UUID originId, Outbox.SendGap gap) {
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
        .param("ids", column(rows, Message::id, UUID[]::new))
        .param("tenants", column(rows, m -> m.tenantId().value(), UUID[]::new))
        .param("sessions", column(rows, Message::sessionId, UUID[]::new))
        .param("chats", column(rows, m -> m.chatId().value(), String[]::new))
        .param("types", column(rows, m -> m.content().type().value(), String[]::new))
        .param("bodies", column(rows, m -> m.content().body(), String[]::new))
        .param("payloads", column(rows, m -> write(m.content().payload()), String[]::new))
        .param("statuses", column(rows, m -> m.status().value(), String[]::new))
        .param("keys", column(rows, Message::idempotencyKey, String[]::new))
        .param("bodyHashes", bodyHashes.stream().map(h -> h == null ? null : hex.formatHex(h)).toArray(String[]::new))
        .param("ats", column(rows, m -> timestampText(m.times().createdAt()), String[]::new))
        .query(UUID.class)
        .list();
  }

  /**
   * Cancels every message of the origin that has not left yet (pending, queued or held), with the
   * reason.
   */
  List<Moved> cancelOriginMessages(UUID originId, String reason, Instant now) {
    return jdbc.sql(
            """
            UPDATE messaging_message m SET status = 'cancelled',
              failure_reason = COALESCE(:reason, m.failure_reason), updated_at = :now
            FROM messaging_message before
            WHERE before.id = m.id AND m.origin_id = :origin
              AND m.status IN ('pending', 'queued', 'held')
            RETURNING %s
            """.formatted(MOVED.formatted("before.status")))
        .param("origin", originId)
        .param("reason", reason)
        .param("now", timestamp(now))
        .query(this::moved)
        .list();
  }

  /**
   * Moves an origin's messages from one waiting status to another ({@code queued} ⇄ {@code
   * held}, or either to {@code cancelled} with a reason); messages already claimed or sent are
   * left alone.
   *
   * @return the sessions whose messages moved
   */
  List<UUID> moveOriginMessages(
      UUID originId, List<MessageStatus> from, MessageStatus to, String reason, Instant now) {
    return jdbc.sql(
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

  /** How many of an origin's messages stand at each status (internal {@code sending} as {@code queued}). */
  Map<MessageStatus, Long> countByStatus(UUID originId) {
    return countByStatus(List.of(originId)).getOrDefault(originId, new java.util.EnumMap<>(MessageStatus.class));
  }

  /** {@link #countByStatus(UUID)} for many origins in one query (a page of campaigns). */
  Map<UUID, Map<MessageStatus, Long>> countByStatus(Collection<UUID> originIds) {
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
          counts.computeIfAbsent(uuid(rs, "origin_id"), o -> new java.util.EnumMap<>(MessageStatus.class))
              .merge(MessageStatus.of(rs.getString("status")).visible(), rs.getLong("n"), Long::sum);
        });
    return counts;
  }

  /**
   * Fails those of the given messages whose text already went (or is about to go) to the same
   * chat from the same number within the window: the duplicate guard for messages queued in bulk.
   *
   * @param reason the failure reason; {@code {chat}} is replaced by each message's chat
   * @param previous the status the messages were queued with ({@code queued} or {@code held})
   */
  List<Moved> failRepeatedTexts(List<UUID> ids, Instant since, String reason, MessageStatus previous, Instant now) {
    return jdbc.sql(
            """
            UPDATE messaging_message m SET status = 'failed', updated_at = :now,
              failure_reason = replace(:reason, '{chat}', m.chat_id)
            WHERE m.id = ANY (CAST(:ids AS uuid[])) AND m.body_hash IS NOT NULL
              AND m.status IN ('queued', 'held')
              AND EXISTS (SELECT 1 FROM messaging_message o
                WHERE o.session_id = m.session_id AND o.chat_id = m.chat_id AND o.body_hash = m.body_hash
                  AND o.id <> m.id AND o.direction = 'outbound'
                  AND (o.sent_at >= :since OR o.status IN ('pending', 'queued', 'held', 'sending')))
            RETURNING %s
            """.formatted(MOVED.formatted("CAST(:previous AS text)")))
        .param("ids", ids.toArray(UUID[]::new))
        .param("since", timestamp(since))
        .param("reason", reason)
        .param("previous", previous.value())
        .param("now", timestamp(now))
        .query(this::moved)
        .list();
  }

  boolean originHasWaiting(UUID originId) {
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
  List<Message> ofOrigin(UUID originId, MessageStatus status, int limit, long offset) {
    List<String> statuses =
        status == null
            ? List.of()
            : status == MessageStatus.QUEUED ? List.of("queued", "sending") : List.of(status.value());
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
        .query(this::map)
        .list();
  }

  /** One column of a multi-row statement, as the array {@code unnest} takes apart. */
  private static <T> T[] column(List<Message> rows, Function<Message, T> value, IntFunction<T[]> array) {
    return rows.stream().map(value).toArray(array);
  }

  Optional<Message> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM messaging_message WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(this::map)
        .optional();
  }

  Optional<Message> findById(UUID id) {
    return jdbc.sql("SELECT * FROM messaging_message WHERE id = :id")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  Optional<Message> findByProviderId(UUID sessionId, String waMessageId) {
    return jdbc.sql(
            "SELECT * FROM messaging_message WHERE session_id = :session AND wa_message_id = :waId")
        .param("session", sessionId)
        .param("waId", waMessageId)
        .query(this::map)
        .optional();
  }

  Optional<Message> findByIdempotencyKey(TenantId tenant, String key) {
    return jdbc.sql(
            "SELECT * FROM messaging_message WHERE tenant_id = :tenant AND idempotency_key = :key")
        .param("tenant", tenant.value())
        .param("key", key)
        .query(this::map)
        .optional();
  }

  /** The messages of one chat, newest first. */
  List<Message> inChat(TenantId tenant, UUID sessionId, ChatId chat, PageQuery page) {
    return jdbc.sql(
            """
            SELECT * FROM messaging_message
            WHERE tenant_id = :tenant AND session_id = :session AND chat_id = :chat
            ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset
            """)
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .param("chat", chat.value())
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query(this::map)
        .list();
  }

  long countInChat(TenantId tenant, UUID sessionId, ChatId chat) {
    return jdbc.sql(
            "SELECT count(*) FROM messaging_message WHERE tenant_id = :tenant"
                + " AND session_id = :session AND chat_id = :chat")
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .param("chat", chat.value())
        .query(Long.class)
        .single();
  }

  /** Releases a message awaiting approval into the outbox, optionally with the approver's text. */
  boolean queueIfPending(UUID id, String replacementBody, byte[] replacementHash, Instant now) {
    return jdbc.sql(
                """
                UPDATE messaging_message SET status = 'queued', body = COALESCE(:body, body),
                  body_hash = COALESCE(:hash, body_hash), next_attempt_at = NULL, updated_at = :now
                WHERE id = :id AND status = 'pending'
                """)
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
                UPDATE messaging_message SET status = 'cancelled', failure_reason = :reason,
                  updated_at = :now
                WHERE id = :id AND status IN ('pending', 'queued')
                """)
            .param("id", id)
            .param("reason", reason)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  boolean cancelIfPending(UUID id, String reason, Instant now) {
    return jdbc.sql(
                """
                UPDATE messaging_message SET status = 'cancelled', failure_reason = :reason,
                  updated_at = :now
                WHERE id = :id AND status = 'pending'
                """)
            .param("id", id)
            .param("reason", reason)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /**
   * Sessions with queued messages (due or not: their lane tells). A loose index scan, so the cost
   * grows with the number of sessions, not of queued messages.
   */
  List<UUID> sessionsWithQueuedMessages(int limit) {
    return jdbc.sql(
            """
            WITH RECURSIVE queued(session_id) AS (
              (SELECT session_id FROM messaging_message WHERE status = 'queued'
               ORDER BY session_id LIMIT 1)
              UNION ALL
              SELECT (SELECT m.session_id FROM messaging_message m
                      WHERE m.status = 'queued' AND m.session_id > q.session_id
                      ORDER BY m.session_id LIMIT 1)
              FROM queued q WHERE q.session_id IS NOT NULL)
            SELECT session_id FROM queued WHERE session_id IS NOT NULL LIMIT :limit
            """)
        .param("limit", limit)
        .query(UUID.class)
        .list();
  }

  /**
   * Claims up to {@code limit} due messages of one session, oldest first (status {@code sending},
   * under the claim's token, with a lease); rows another dispatcher holds are skipped.
   */
  List<Message> claimDue(
      UUID sessionId, UUID token, Instant now, Instant claimedAt, Instant leaseUntil, int limit) {
    return jdbc.sql(
            """
            UPDATE messaging_message SET status = 'sending', attempts = attempts + 1,
              claim_token = :token, claimed_at = :claimedAt, lease_until = :lease, updated_at = :now
            WHERE id IN (
              SELECT id FROM messaging_message
              WHERE session_id = :session AND status = 'queued'
                AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
              ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING *
            """)
        .param("session", sessionId)
        .param("token", token)
        .param("now", timestamp(now))
        .param("claimedAt", timestamp(claimedAt))
        .param("lease", timestamp(leaseUntil))
        .param("limit", limit)
        .query(this::map)
        .list()
        .stream()
        .sorted(java.util.Comparator.comparing(Message::id))
        .toList();
  }

  /**
   * Extends the lease of these messages while the claim still holds them; answers the ones it
   * holds. A lease that already lapsed is not renewed: another dispatcher may be taking it over.
   */
  Set<UUID> renewClaim(Collection<UUID> ids, UUID token, Instant now, Instant leaseUntil) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        jdbc.sql(
                """
                UPDATE messaging_message SET lease_until = :lease
                WHERE id = ANY (CAST(:ids AS uuid[])) AND claim_token = :token AND status = 'sending'
                  AND lease_until > :now
                RETURNING id
                """)
            .param("ids", ids.toArray(UUID[]::new))
            .param("token", token)
            .param("now", timestamp(now))
            .param("lease", timestamp(leaseUntil))
            .query(UUID.class)
            .list());
  }

  /** Whether the claim still holds the message with a lease that lasts past the instant. */
  boolean holdsClaim(UUID id, UUID token, Instant until) {
    return jdbc.sql(
                """
                SELECT count(*) FROM messaging_message
                WHERE id = :id AND claim_token = :token AND status = 'sending' AND lease_until > :until
                """)
            .param("id", id)
            .param("token", token)
            .param("until", timestamp(until))
            .query(Long.class)
            .single()
        > 0;
  }

  /** Numbers with claims that lapsed: their dispatcher died between claim and record. */
  List<UUID> sessionsWithLapsedClaims(Instant now, int limit) {
    return jdbc.sql(
            """
            SELECT DISTINCT session_id FROM messaging_message
            WHERE status = 'sending' AND lease_until < :now LIMIT :limit
            """)
        .param("now", timestamp(now))
        .param("limit", limit)
        .query(UUID.class)
        .list();
  }

  /** A message under a claim, and when the claim began. */
  record Claimed(Message message, Instant claimedAt) {}

  /**
   * The number's claimed messages whose claim lapsed, oldest claim first. Claims made before
   * claims recorded their start began one lease before their lease's end.
   */
  List<Claimed> lapsedClaims(UUID sessionId, Instant now, Duration lease, int limit) {
    return jdbc.sql(
            """
            SELECT *, COALESCE(claimed_at, lease_until - make_interval(secs => :leaseSeconds)) AS claim_start
            FROM messaging_message
            WHERE session_id = :session AND status = 'sending' AND lease_until < :now
            ORDER BY lease_until, id LIMIT :limit
            """)
        .param("session", sessionId)
        .param("now", timestamp(now))
        .param("leaseSeconds", lease.toMillis() / 1000.0)
        .param("limit", limit)
        .query((rs, row) -> new Claimed(map(rs, row), instant(rs, "claim_start")))
        .list();
  }

  /**
   * Takes over a lapsed claim under a new token and lease; false if it had not lapsed or another
   * dispatcher took it over first.
   */
  boolean takeOverLapsed(UUID id, UUID token, Instant now, Instant leaseUntil) {
    return jdbc.sql(
                """
                UPDATE messaging_message SET claim_token = :token, lease_until = :lease
                WHERE id = :id AND status = 'sending' AND lease_until < :now
                """)
            .param("id", id)
            .param("token", token)
            .param("now", timestamp(now))
            .param("lease", timestamp(leaseUntil))
            .update()
        == 1;
  }

  /**
   * Records WhatsApp's acceptance of a message the claim holds; empty if it does not (any more).
   */
  Optional<Moved> markSent(UUID id, UUID token, String waMessageId, Instant sentAt, Instant now) {
    return jdbc.sql(
            """
            UPDATE messaging_message m SET status = 'sent', wa_message_id = :waId, sent_at = :sentAt,
              lease_until = NULL, claim_token = NULL, failure_reason = NULL, updated_at = :now
            WHERE id = :id AND status = 'sending' AND claim_token = :token
            RETURNING %s
            """.formatted(MOVED.formatted("'queued'")))
        .param("id", id)
        .param("token", token)
        .param("waId", waMessageId)
        .param("sentAt", timestamp(sentAt))
        .param("now", timestamp(now))
        .query(this::moved)
        .optional();
  }

  /**
   * Back to the queue, not before {@code notBefore}, if the claim still holds the message. A wait
   * imposed by the governor or a stopped session does not count as an attempt; a transient failure
   * does.
   */
  boolean requeue(UUID id, UUID token, Instant notBefore, String reason, boolean countAttempt, Instant now) {
    return jdbc.sql(
                """
                UPDATE messaging_message SET status = 'queued', next_attempt_at = :notBefore,
                  lease_until = NULL, claim_token = NULL, failure_reason = :reason, updated_at = :now,
                  attempts = CASE WHEN :count THEN attempts ELSE attempts - 1 END
                WHERE id = :id AND status = 'sending' AND claim_token = :token
                """)
            .param("id", id)
            .param("token", token)
            .param("notBefore", timestamp(notBefore))
            .param("reason", reason)
            .param("count", countAttempt)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /** Holds a number's due messages until the instant, noting why (they stay queued). */
  void holdQueued(UUID sessionId, Instant until, String reason, Instant now) {
    jdbc.sql(
            """
            UPDATE messaging_message SET next_attempt_at = :until, failure_reason = :reason,
              updated_at = :now
            WHERE session_id = :session AND status = 'queued'
              AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
            """)
        .param("session", sessionId)
        .param("until", timestamp(until))
        .param("reason", reason)
        .param("now", timestamp(now))
        .update();
  }

  void makeDueNow(UUID sessionId, Instant now) {
    jdbc.sql(
            """
            UPDATE messaging_message SET next_attempt_at = NULL, updated_at = :now
            WHERE session_id = :session AND status = 'queued' AND next_attempt_at > :now
            """)
        .param("session", sessionId)
        .param("now", timestamp(now))
        .update();
  }

  /** Fails a message the claim holds (it has not left); empty if the claim does not hold it. */
  Optional<Moved> markFailed(UUID id, UUID token, String reason, Instant now) {
    return jdbc.sql(
            """
            UPDATE messaging_message m SET status = 'failed', failure_reason = :reason,
              lease_until = NULL, claim_token = NULL, updated_at = :now
            WHERE id = :id AND status = 'sending' AND claim_token = :token
            RETURNING %s
            """.formatted(MOVED.formatted("'queued'")))
        .param("id", id)
        .param("token", token)
        .param("reason", reason)
        .param("now", timestamp(now))
        .query(this::moved)
        .optional();
  }

  /**
   * What {@link Moved} is read from: the row after the statement, and the expression giving the
   * status before it (the {@code %s}).
   */
  private static final String MOVED =
      "m.id, m.tenant_id, m.session_id, m.chat_id, m.origin_kind, m.origin_id, m.failure_reason,"
          + " m.sent_at, %s AS previous_status";

  /** An outgoing message a statement moved: what other modules are told about it. */
  record Moved(
      UUID messageId,
      TenantId tenantId,
      UUID sessionId,
      String chatId,
      String originKind,
      UUID originId,
      String previousStatus,
      String failureReason,
      Instant sentAt) {

    MessageStatusChanged changed(String status, Instant at) {
      return new MessageStatusChanged(
          tenantId, sessionId, messageId, status, at, previousStatus, chatId, originKind, originId,
          failureReason, sentAt);
    }
  }

  private Moved moved(ResultSet rs, int row) throws SQLException {
    return new Moved(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        uuid(rs, "session_id"),
        rs.getString("chat_id"),
        rs.getString("origin_kind"),
        uuid(rs, "origin_id"),
        rs.getString("previous_status"),
        rs.getString("failure_reason"),
        instant(rs, "sent_at"));
  }

  /**
   * How far an outgoing message is, for acks: they only move it forward. Anything not on the
   * sent → played path (failed, cancelled) is past every ack; a message not sent yet is before all.
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
      Moved moved) {}

  /** What a batch of acks did: the messages moved, and the acks for messages not recorded yet. */
  record AckOutcome(List<AppliedAck> applied, List<AckUpdate> unknown) {}

  /**
   * Moves outgoing messages forward on acks, in one statement for the whole batch; never
   * backwards.
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
                    .formatted(values, PROGRESS.replace("status", "m.status"), MOVED.formatted("before.status")))
            .params(statement)
            .query(
                (rs, row) ->
                    new AppliedAck(
                        uuid(rs, "id"),
                        TenantId.of(uuid(rs, "tenant_id")),
                        uuid(rs, "session_id"),
                        rs.getString("wa_message_id"),
                        MessageStatus.of(rs.getString("status")),
                        instant(rs, "at"),
                        moved(rs, row)))
            .list();
    var appliedKeys =
        applied.stream().map(a -> a.sessionId() + "/" + a.waMessageId()).collect(java.util.stream.Collectors.toSet());
    List<AckUpdate> unapplied =
        acks.stream().filter(a -> !appliedKeys.contains(a.sessionId() + "/" + a.waMessageId())).toList();
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
            """.formatted(PROGRESS))
        .param("sessions", unapplied.stream().map(AckUpdate::sessionId).toArray(UUID[]::new))
        .param("ids", unapplied.stream().map(AckUpdate::waMessageId).toArray(String[]::new))
        .query((rs, row) -> reached.put(rs.getString("key"), rs.getInt("progress")));
    return new AckOutcome(
        applied,
        unapplied.stream()
            .filter(a -> reached.getOrDefault(a.sessionId() + "/" + a.waMessageId(), 0) < progress(a.status()))
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
  List<Moved> markReplied(UUID sessionId, ChatId chat, Instant replyAt, Duration window) {
    return jdbc.sql(
            """
            UPDATE messaging_message m SET replied_at = :at, updated_at = :at
            WHERE session_id = :session AND chat_id = :chat AND direction = 'outbound'
              AND replied_at IS NULL AND sent_at IS NOT NULL
              AND sent_at BETWEEN :since AND :at
            RETURNING %s
            """.formatted(MOVED.formatted("m.status")))
        .param("session", sessionId)
        .param("chat", chat.value())
        .param("at", timestamp(replyAt))
        .param("since", timestamp(replyAt.minus(window)))
        .query(this::moved)
        .list();
  }

  void markEdited(UUID id, String text, Instant at) {
    jdbc.sql("UPDATE messaging_message SET body = :text, edited_at = :at, updated_at = :at WHERE id = :id")
        .param("id", id)
        .param("text", text)
        .param("at", timestamp(at))
        .update();
  }

  void markEdited(UUID sessionId, String waMessageId, String text, Instant at) {
    jdbc.sql(
            "UPDATE messaging_message SET body = :text, edited_at = :at, updated_at = :at"
                + " WHERE session_id = :session AND wa_message_id = :waId")
        .param("session", sessionId)
        .param("waId", waMessageId)
        .param("text", text)
        .param("at", timestamp(at))
        .update();
  }

  void markRevoked(UUID sessionId, String waMessageId, Instant at) {
    jdbc.sql(
            "UPDATE messaging_message SET revoked_at = COALESCE(revoked_at, :at), updated_at = :at"
                + " WHERE session_id = :session AND wa_message_id = :waId")
        .param("session", sessionId)
        .param("waId", waMessageId)
        .param("at", timestamp(at))
        .update();
  }

  /** Records a reaction (by whoever) on the message it targets; an empty emoji removes it. */
  void react(UUID sessionId, String targetWaMessageId, String reactor, String emoji, Instant at) {
    jdbc.sql(
            """
            UPDATE messaging_message SET updated_at = :at, payload =
              CASE WHEN :emoji = '' THEN
                jsonb_set(COALESCE(payload, '{}'::jsonb), '{reactions}',
                  COALESCE(payload->'reactions', '{}'::jsonb) - :reactor)
              ELSE
                jsonb_set(COALESCE(payload, '{}'::jsonb), '{reactions}',
                  COALESCE(payload->'reactions', '{}'::jsonb) || jsonb_build_object(:reactor, :emoji))
              END
            WHERE session_id = :session AND wa_message_id = :target
            """)
        .param("session", sessionId)
        .param("target", targetWaMessageId)
        .param("reactor", reactor)
        .param("emoji", emoji)
        .param("at", timestamp(at))
        .update();
  }

  /** Records a poll vote on the poll message. */
  void vote(UUID sessionId, String pollWaMessageId, String voter, List<String> options, Instant at) {
    jdbc.sql(
            """
            UPDATE messaging_message SET updated_at = :at, payload =
              jsonb_set(COALESCE(payload, '{}'::jsonb), '{votes}',
                COALESCE(payload->'votes', '{}'::jsonb) || jsonb_build_object(:voter, CAST(:options AS jsonb)))
            WHERE session_id = :session AND wa_message_id = :poll
            """)
        .param("session", sessionId)
        .param("poll", pollWaMessageId)
        .param("voter", voter)
        .param("options", write(options))
        .param("at", timestamp(at))
        .update();
  }

  /** How many messages the number sent since the instant (for rate windows and caps). */
  int sentSince(UUID sessionId, Instant since) {
    return jdbc.sql(
            "SELECT count(*) FROM messaging_message WHERE session_id = :session"
                + " AND direction = 'outbound' AND sent_at >= :since")
        .param("session", sessionId)
        .param("since", timestamp(since))
        .query(Integer.class)
        .single();
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

  /**
   * Outgoing messages to contacts (not groups) that WhatsApp accepted, sent in the window
   * {@code (after, until]} by these numbers, oldest first and paged by (sent_at, id); those queued
   * by {@code excludedOrigin} are left out. Served by the per-number sent_at index.
   */
  List<Message> sentToContacts(
      Collection<UUID> sessionIds, Instant after, UUID afterId, Instant until, String excludedOrigin, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM messaging_message
            WHERE session_id = ANY (CAST(:sessions AS uuid[])) AND direction = 'outbound'
              AND sent_at IS NOT NULL AND sent_at >= :after AND sent_at <= :until
              AND (sent_at, id) > (:after, CAST(:afterId AS uuid))
              AND status IN ('sent', 'delivered', 'read', 'played')
              AND chat_id LIKE '%@c.us'
              AND origin_kind IS DISTINCT FROM :excluded
            ORDER BY sent_at, id LIMIT :limit
            """)
        .param("sessions", sessionIds.toArray(UUID[]::new))
        .param("after", timestamp(after))
        .param("afterId", afterId)
        .param("until", timestamp(until))
        .param("excluded", excludedOrigin)
        .param("limit", limit)
        .query(this::map)
        .list();
  }

  /**
   * When the person behind a contact chat last wrote to the number in a direct chat: in the chat
   * itself, or in the chat under their linked id (LID) if the number knows it.
   */
  Optional<Instant> lastInboundFrom(TenantId tenant, UUID sessionId, ChatId chat, Optional<String> lidChat) {
    return jdbc.sql(
            """
            SELECT created_at FROM messaging_message
            WHERE tenant_id = :tenant AND session_id = :session AND direction = 'inbound'
              AND chat_id IN (:chat, :lid)
            ORDER BY created_at DESC LIMIT 1
            """)
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .param("chat", chat.value())
        .param("lid", lidChat.orElse(chat.value()))
        .query((rs, row) -> instant(rs, "created_at"))
        .optional();
  }

  /** The stored messages after the id, in id order (see {@link MessageHistory}). */
  List<MessageHistory.StoredMessage> history(UUID afterId, int limit) {
    return jdbc.sql(
            """
            SELECT m.id, m.tenant_id, m.session_id, m.chat_id, m.direction, m.status, m.origin_kind,
              m.origin_id, m.failure_reason, m.created_at, m.sent_at, m.delivered_at, m.read_at,
              m.played_at, m.replied_at, m.updated_at,
              COALESCE(by_lid.id, by_phone.id) AS contact_id,
              COALESCE(m.sender_phone, by_lid.phone) AS sender_phone
            FROM messaging_message m
            LEFT JOIN messaging_contact by_lid
              ON by_lid.session_id = m.session_id AND by_lid.lid = m.sender_lid
            LEFT JOIN messaging_contact by_phone
              ON by_phone.session_id = m.session_id AND by_phone.phone = m.sender_phone
            WHERE m.id > :after ORDER BY m.id LIMIT :limit
            """)
        .param("after", afterId)
        .param("limit", limit)
        .query(
            (rs, row) -> {
              MessageStatus status = MessageStatus.of(rs.getString("status"));
              return new MessageHistory.StoredMessage(
                  uuid(rs, "id"),
                  TenantId.of(uuid(rs, "tenant_id")),
                  uuid(rs, "session_id"),
                  rs.getString("chat_id"),
                  "outbound".equals(rs.getString("direction")),
                  status.visible().value(),
                  rs.getString("origin_kind"),
                  uuid(rs, "origin_id"),
                  rs.getString("failure_reason"),
                  rs.getString("sender_phone"),
                  uuid(rs, "contact_id"),
                  instant(rs, "created_at"),
                  instant(rs, "sent_at"),
                  instant(rs, "delivered_at"),
                  instant(rs, "read_at"),
                  instant(rs, "played_at"),
                  instant(rs, "replied_at"),
                  status == MessageStatus.FAILED || status == MessageStatus.CANCELLED ? instant(rs, "updated_at") : null);
            })
        .list();
  }

  /**
   * The tenant's traffic in {@code [since, until)}: messages that left (sent at) and messages that
   * arrived (received at), in one pass over the tenant's rows of the window.
   */
  long[] countTraffic(TenantId tenant, Instant since, Instant until) {
    return jdbc.sql(
            """
            SELECT count(*) FILTER (WHERE direction = 'outbound' AND sent_at >= :since AND sent_at < :until) AS sent,
                   count(*) FILTER (WHERE direction = 'inbound' AND created_at >= :since AND created_at < :until)
                     AS received
            FROM messaging_message
            WHERE tenant_id = :tenant AND (created_at >= :since OR sent_at >= :since)
            """)
        .param("tenant", tenant.value())
        .param("since", timestamp(since))
        .param("until", timestamp(until))
        .query((rs, row) -> new long[] {rs.getLong("sent"), rs.getLong("received")})
        .single();
  }

  /** Messages waiting for approval whose process instance is not in the current engine. */
  List<Message> awaitingApprovalOutside(String epoch, int limit) {
    return processColumns.liveOutside(epoch, limit, this::map);
  }

  /** Takes the row over for the epoch, unless another node or thread did first. */
  boolean claimForEpoch(UUID id, String previousEpoch, String epoch) {
    return processColumns.claimForEpoch(id, previousEpoch, epoch);
  }

  void attachProcess(UUID id, Long processInstanceKey, String epoch) {
    processColumns.attach(id, processInstanceKey, epoch);
  }

  private Message map(ResultSet rs, int row) throws SQLException {
    return new Message(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        uuid(rs, "session_id"),
        new ChatId(rs.getString("chat_id")),
        Message.Direction.valueOf(rs.getString("direction").toUpperCase()),
        rs.getString("source"),
        new Message.Content(
            MessageType.of(rs.getString("message_type")),
            rs.getString("body"),
            read(rs.getString("payload")),
            uuid(rs, "media_id"),
            rs.getString("reply_to")),
        new Message.Sender(
            rs.getString("sender_phone"), rs.getString("sender_lid"), rs.getString("sender_name")),
        MessageStatus.of(rs.getString("status")),
        rs.getString("failure_reason"),
        rs.getString("idempotency_key"),
        rs.getBytes("request_hash"),
        rs.getString("wa_message_id"),
        uuid(rs, "approval_id"),
        nullableLong(rs, "process_instance_key"),
        rs.getString("engine_epoch"),
        rs.getInt("attempts"),
        new Message.Times(
            instant(rs, "created_at"),
            instant(rs, "updated_at"),
            instant(rs, "sent_at"),
            instant(rs, "delivered_at"),
            instant(rs, "read_at"),
            instant(rs, "played_at"),
            instant(rs, "replied_at"),
            instant(rs, "edited_at"),
            instant(rs, "revoked_at"),
            instant(rs, "lease_until")),
        Outbox.SendGap.ofMillis(nullableInt(rs, "send_gap_min_ms"), nullableInt(rs, "send_gap_max_ms")));
  }

  String write(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not JSON-serialisable", e);
    }
  }

  private Map<String, Object> read(String value) {
    if (value == null) {
      return Map.of();
    }
    try {
      return json.readValue(value, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored payload is not JSON", e);
    }
  }

  /**
   * Lets PostgreSQL plan the rest of the current transaction's statements for their actual
   * parameters. The reads of one person's chats take arrays of sessions and chats; after five runs
   * PostgreSQL may switch to a generic plan that cannot see how few rows those select, and one
   * scanned the tenant's whole message history (30 ms instead of 0.05 ms per lead scored). Not for
   * every statement: planning each insert again costs ingestion about a fifth of its speed. Does
   * nothing outside a transaction (callers open one).
   */
  private void planForParameters() {
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan").update();
    }
  }

  /** Counts and times of what the numbers and the chats exchanged since a moment (sent: WhatsApp took it). */
  Conversations.Exchange exchangedWith(TenantId tenant, Collection<UUID> sessionIds, List<String> chats, Instant since) {
    if (sessionIds.isEmpty() || chats.isEmpty()) {
      return new Conversations.Exchange(0, 0, null, null, null);
    }
    planForParameters();
    return jdbc.sql(
            """
            SELECT count(*) FILTER (WHERE direction = 'inbound') AS received,
                   count(*) FILTER (WHERE direction = 'outbound' AND sent_at IS NOT NULL) AS sent,
                   max(created_at) FILTER (WHERE direction = 'inbound') AS last_inbound_at,
                   min(sent_at) FILTER (WHERE direction = 'outbound') AS first_outbound_at,
                   max(sent_at) FILTER (WHERE direction = 'outbound') AS last_outbound_at
              FROM messaging_message
             WHERE tenant_id = :tenant AND session_id = ANY (CAST(:sessions AS uuid[]))
               AND chat_id = ANY (CAST(:chats AS text[])) AND created_at >= :since
            """)
        .param("tenant", tenant.value())
        .param("sessions", sessionIds.toArray(UUID[]::new))
        .param("chats", chats.toArray(String[]::new))
        .param("since", timestamp(since))
        .query(
            (rs, row) ->
                new Conversations.Exchange(
                    rs.getInt("received"),
                    rs.getInt("sent"),
                    instant(rs, "last_inbound_at"),
                    instant(rs, "first_outbound_at"),
                    instant(rs, "last_outbound_at")))
        .single();
  }

  /** The latest messages in these chats of these numbers, newest first. */
  List<Message> recentIn(TenantId tenant, Collection<UUID> sessionIds, List<String> chats, int limit) {
    if (sessionIds.isEmpty() || chats.isEmpty()) {
      return List.of();
    }
    planForParameters();
    return jdbc.sql(
            """
            SELECT * FROM messaging_message
             WHERE tenant_id = :tenant AND session_id = ANY (CAST(:sessions AS uuid[]))
               AND chat_id = ANY (CAST(:chats AS text[]))
             ORDER BY created_at DESC, id DESC LIMIT :limit
            """)
        .param("tenant", tenant.value())
        .param("sessions", sessionIds.toArray(UUID[]::new))
        .param("chats", chats.toArray(String[]::new))
        .param("limit", limit)
        .query(this::map)
        .list();
  }
}
