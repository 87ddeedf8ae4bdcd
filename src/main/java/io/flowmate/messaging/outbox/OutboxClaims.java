package io.flowmate.messaging.outbox;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.messaging.MessageStatus.FAILED;
import static io.flowmate.messaging.MessageStatus.QUEUED;
import static io.flowmate.messaging.MessageStatus.SENDING;
import static io.flowmate.messaging.MessageStatus.SENT;

import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageRows;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The send lanes' claims on queued messages: claimed under a token with a lease, renewed while the
 * lane works, taken over when the lease lapsed, and settled as sent, failed or back in the queue
 * only while the claim still holds the message.
 */
@Repository
class OutboxClaims {

  /** A lane claims due messages: queued → sending. */
  private static final String CLAIM_DUE =
      """
      UPDATE messaging_message SET status = %s, attempts = attempts + 1,
        claim_token = :token, claimed_at = :claimedAt, lease_until = :lease, updated_at = :now
      WHERE id IN (
        SELECT id FROM messaging_message
        WHERE session_id = :session AND %s
          AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
        ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
      RETURNING *
      """
          .formatted(SENDING.sql(), SENDING.whereMovableFrom("status", QUEUED));

  /** WhatsApp accepted a claimed message: sending → sent. */
  private static final String MARK_SENT =
      """
      UPDATE messaging_message m SET status = %s, wa_message_id = :waId, sent_at = :sentAt,
        lease_until = NULL, claim_token = NULL, failure_reason = NULL, updated_at = :now
      WHERE id = :id AND %s AND claim_token = :token
      RETURNING %s
      """
          .formatted(
              SENT.sql(),
              SENT.whereMovableFrom("status", SENDING),
              MessageRows.MOVED.formatted(QUEUED.sql()));

  /** A claimed message goes back to the queue: sending → queued. */
  private static final String REQUEUE =
      """
      UPDATE messaging_message SET status = %s, next_attempt_at = :notBefore,
        lease_until = NULL, claim_token = NULL, failure_reason = :reason, updated_at = :now,
        attempts = CASE WHEN :count THEN attempts ELSE attempts - 1 END
      WHERE id = :id AND %s AND claim_token = :token
      """
          .formatted(QUEUED.sql(), QUEUED.whereMovableFrom("status", SENDING));

  /** A claimed message cannot be sent: sending → failed. */
  private static final String MARK_FAILED =
      """
      UPDATE messaging_message m SET status = %s, failure_reason = :reason,
        lease_until = NULL, claim_token = NULL, updated_at = :now
      WHERE id = :id AND %s AND claim_token = :token
      RETURNING %s
      """
          .formatted(
              FAILED.sql(),
              FAILED.whereMovableFrom("status", SENDING),
              MessageRows.MOVED.formatted(QUEUED.sql()));

  private final JdbcClient jdbc;

  OutboxClaims(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
    return jdbc
        .sql(CLAIM_DUE)
        .param("session", sessionId)
        .param("token", token)
        .param("now", timestamp(now))
        .param("claimedAt", timestamp(claimedAt))
        .param("lease", timestamp(leaseUntil))
        .param("limit", limit)
        .query(MessageRows::message)
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
   * The number's claimed messages whose claim lapsed, oldest claim first. Claims made before claims
   * recorded their start began one lease before their lease's end.
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
        .query((rs, row) -> new Claimed(MessageRows.message(rs, row), instant(rs, "claim_start")))
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
  Optional<MessageRows.Moved> markSent(
      UUID id, UUID token, String waMessageId, Instant sentAt, Instant now) {
    return jdbc.sql(MARK_SENT)
        .param("id", id)
        .param("token", token)
        .param("waId", waMessageId)
        .param("sentAt", timestamp(sentAt))
        .param("now", timestamp(now))
        .query(MessageRows::moved)
        .optional();
  }

  /**
   * Back to the queue, not before {@code notBefore}, if the claim still holds the message. A wait
   * imposed by the governor or a stopped session does not count as an attempt; a transient failure
   * does.
   */
  boolean requeue(
      UUID id, UUID token, Instant notBefore, String reason, boolean countAttempt, Instant now) {
    return jdbc.sql(REQUEUE)
            .param("id", id)
            .param("token", token)
            .param("notBefore", timestamp(notBefore))
            .param("reason", reason)
            .param("count", countAttempt)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /**
   * Gives up the claim on a message whose send may have reached WhatsApp: it stays {@code sending},
   * with its lease ending at {@code lookupAt} and no token, so that nobody renews it and, once it
   * lapsed, the lane settles it by asking the transport, as a claim left by a crash.
   */
  boolean awaitLookup(UUID id, UUID token, Instant lookupAt, String reason, Instant now) {
    return jdbc.sql(
                """
                UPDATE messaging_message SET lease_until = :lookupAt, claim_token = NULL,
                  failure_reason = :reason, updated_at = :now
                WHERE id = :id AND status = 'sending' AND claim_token = :token
                """)
            .param("id", id)
            .param("token", token)
            .param("lookupAt", timestamp(lookupAt))
            .param("reason", reason)
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
  Optional<MessageRows.Moved> markFailed(UUID id, UUID token, String reason, Instant now) {
    return jdbc.sql(MARK_FAILED)
        .param("id", id)
        .param("token", token)
        .param("reason", reason)
        .param("now", timestamp(now))
        .query(MessageRows::moved)
        .optional();
  }
}
