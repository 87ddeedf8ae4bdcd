package io.flowmate.messaging.chats;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.ChatId;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import io.flowmate.messaging.Conversations;
import io.flowmate.messaging.MessageHistory;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageRows;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Read-only queries on stored messages: one chat's page, what was exchanged with a person, the
 * history, traffic counts.
 */
@Repository
public class ConversationQueries {

  private final JdbcClient jdbc;

  ConversationQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
        .query(MessageRows::message)
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

  /**
   * Outgoing messages to contacts (not groups) that WhatsApp accepted, sent in the window {@code
   * (after, until]} by these numbers, oldest first and paged by (sent_at, id); those queued by
   * {@code excludedOrigin} are left out. Served by the per-number sent_at index.
   */
  public List<Message> sentToContacts(
      Collection<UUID> sessionIds,
      Instant after,
      UUID afterId,
      Instant until,
      String excludedOrigin,
      int limit) {
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
        .query(MessageRows::message)
        .list();
  }

  /**
   * When the person behind a contact chat last wrote to the number in a direct chat: in the chat
   * itself, or in the chat under their linked id (LID) if the number knows it.
   */
  public Optional<Instant> lastInboundFrom(
      TenantId tenant, UUID sessionId, ChatId chat, Optional<String> lidChat) {
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
  public List<MessageHistory.StoredMessage> history(UUID afterId, int limit) {
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
        .query((rs, row) -> {
          MessageStatus status = MessageStatus.of(rs.getString("status"));
          return new MessageHistory.StoredMessage(
              MessageId.of(uuid(rs, "id")).value(),
              TenantId.of(uuid(rs, "tenant_id")),
              SessionId.of(uuid(rs, "session_id")).value(),
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
              status == MessageStatus.FAILED || status == MessageStatus.CANCELLED
                  ? instant(rs, "updated_at")
                  : null);
        })
        .list();
  }

  /**
   * The tenant's traffic in {@code [since, until)}: messages that left (sent at) and messages that
   * arrived (received at), in one pass over the tenant's rows of the window.
   */
  public long[] countTraffic(TenantId tenant, Instant since, Instant until) {
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

  /**
   * Counts and times of what the numbers and the chats exchanged since a moment (sent: WhatsApp
   * took it).
   */
  public Conversations.Exchange exchangedWith(
      TenantId tenant, Collection<UUID> sessionIds, List<String> chats, Instant since) {
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
        .query((rs, row) ->
            new Conversations.Exchange(
                rs.getInt("received"),
                rs.getInt("sent"),
                instant(rs, "last_inbound_at"),
                instant(rs, "first_outbound_at"),
                instant(rs, "last_outbound_at")))
        .single();
  }

  /** The latest messages in these chats of these numbers, newest first. */
  public List<Message> recentIn(
      TenantId tenant, Collection<UUID> sessionIds, List<String> chats, int limit) {
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
        .query(MessageRows::message)
        .list();
  }
}
