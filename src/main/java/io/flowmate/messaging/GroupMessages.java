package io.flowmate.messaging;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.ChatId;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Read-only: what was written in WhatsApp groups, for group monitoring (leads). Four questions,
 * each one query: how busy some groups are, the messages of one group page by page, the incoming
 * messages behind a batch of ids (detection reads a whole batch at once, never one message at a
 * time), and the ids of those a group received within a time range (detection's catch-up). Group
 * messages are stored like any other by the inbound recorder; nothing here writes.
 */
@Service
public class GroupMessages {

  private final JdbcClient jdbc;

  GroupMessages(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * How busy a group is.
   *
   * @param messagesSince messages stored for the group at or after the instant asked about
   * @param lastMessageAt the latest message in the group, whenever it was
   */
  public record Activity(ChatId group, long messagesSince, Instant lastMessageAt) {}

  /**
   * An incoming message in a group.
   *
   * @param senderPhone E.164 digits; for a sender who wrote under a linked id, the phone number the
   *     number learned for that id, else null
   * @param text the text or caption (null for media without one)
   */
  public record Inbound(
      MessageId messageId,
      TenantId tenantId,
      SessionId sessionId,
      ChatId group,
      String senderPhone,
      String senderLid,
      String senderName,
      String messageType,
      String text,
      Instant at) {}

  /**
   * A message of a group as a list shows it: from a participant, or ours (written on the phone or
   * sent through Flowmate; no sender then).
   *
   * @param contentPreview the first 500 characters
   */
  public record Item(
      MessageId messageId,
      String direction,
      String senderPhone,
      String senderLid,
      String senderName,
      String messageType,
      String contentPreview,
      Instant waTimestamp) {}

  /**
   * Activity of the session's groups among {@code groups}; groups without any message are absent.
   */
  public Map<ChatId, Activity> activity(
      SessionId sessionId, Collection<ChatId> groups, Instant since) {
    Map<ChatId, Activity> found = new HashMap<>();
    if (groups.isEmpty()) {
      return found;
    }
    jdbc.sql(
            """
            SELECT c.chat_id, c.last_message_at,
                   (SELECT count(*) FROM messaging_message m
                     WHERE m.tenant_id = c.tenant_id AND m.session_id = c.session_id AND m.chat_id = c.chat_id
                       AND m.created_at >= :since) AS recent
              FROM messaging_chat c
             WHERE c.session_id = :session AND c.chat_id = ANY(:chats)
            """)
        .param("session", sessionId.value())
        .param("chats", groups.stream().map(ChatId::value).toArray(String[]::new))
        .param("since", timestamp(since))
        .query((rs, row) ->
            new Activity(
                new ChatId(rs.getString("chat_id")),
                rs.getLong("recent"),
                instant(rs, "last_message_at")))
        .list()
        .forEach(activity -> found.put(activity.group(), activity));
    return found;
  }

  /** The group's messages in the session, newest first. */
  public Page<Item> page(TenantId tenant, SessionId sessionId, ChatId group, PageQuery page) {
    List<Item> items =
        jdbc.sql(
                """
                SELECT m.id, m.direction, m.message_type, m.body, m.created_at, m.sender_lid,
                       COALESCE(m.sender_phone, c.phone) AS sender_phone, COALESCE(m.sender_name, c.push_name) AS sender_name
                  FROM messaging_message m
                  LEFT JOIN messaging_contact c
                    ON m.sender_phone IS NULL AND m.sender_lid IS NOT NULL AND c.session_id = m.session_id AND c.lid = m.sender_lid
                 WHERE m.tenant_id = :tenant AND m.session_id = :session AND m.chat_id = :chat
                 ORDER BY m.created_at DESC, m.id DESC
                 LIMIT :limit OFFSET :offset
                """)
            .param("tenant", tenant.value())
            .param("session", sessionId.value())
            .param("chat", group.value())
            .param("limit", page.limit())
            .param("offset", page.offset())
            .query((rs, row) ->
                new Item(
                    MessageId.of(uuid(rs, "id")),
                    rs.getString("direction"),
                    rs.getString("sender_phone"),
                    rs.getString("sender_lid"),
                    rs.getString("sender_name"),
                    rs.getString("message_type"),
                    preview(rs.getString("body")),
                    instant(rs, "created_at")))
            .list();
    long total =
        jdbc.sql(
                "SELECT count(*) FROM messaging_message WHERE tenant_id = :tenant AND session_id = :session AND chat_id = :chat")
            .param("tenant", tenant.value())
            .param("session", sessionId.value())
            .param("chat", group.value())
            .query(Long.class)
            .single();
    return Page.of(items, total, page);
  }

  /**
   * Ids of the incoming messages stored for the group after {@code after} and at or before {@code
   * until}, oldest first, at most {@code limit}: what arrived while nobody was examining them.
   */
  public List<MessageId> incomingIds(
      TenantId tenant, SessionId sessionId, ChatId group, Instant after, Instant until, int limit) {
    return jdbc.sql(
            """
            SELECT id FROM messaging_message
             WHERE tenant_id = :tenant AND session_id = :session AND chat_id = :chat
               AND created_at > :after AND created_at <= :until AND direction = 'inbound'
             ORDER BY created_at, id LIMIT :limit
            """)
        .param("tenant", tenant.value())
        .param("session", sessionId.value())
        .param("chat", group.value())
        .param("after", timestamp(after))
        .param("until", timestamp(until))
        .param("limit", limit)
        .query((rs, row) -> MessageId.of(uuid(rs, "id")))
        .list();
  }

  /**
   * The incoming group messages among {@code messageIds} (others, and unknown ids, are left out),
   * in one query whatever their number.
   */
  public List<Inbound> incoming(Collection<MessageId> messageIds) {
    if (messageIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            SELECT m.id, m.tenant_id, m.session_id, m.chat_id, m.message_type, m.body, m.created_at, m.sender_lid,
                   COALESCE(m.sender_phone, c.phone) AS sender_phone, COALESCE(m.sender_name, c.push_name) AS sender_name
              FROM messaging_message m
              LEFT JOIN messaging_contact c
                ON m.sender_phone IS NULL AND m.sender_lid IS NOT NULL AND c.session_id = m.session_id AND c.lid = m.sender_lid
             WHERE m.id = ANY(:ids) AND m.direction = 'inbound' AND m.chat_id LIKE '%@g.us'
            """)
        .param("ids", messageIds.stream().map(MessageId::value).toArray(UUID[]::new))
        .query(GroupMessages::inbound)
        .list();
  }

  private static Inbound inbound(ResultSet rs, int row) throws SQLException {
    return new Inbound(
        MessageId.of(uuid(rs, "id")),
        new TenantId(uuid(rs, "tenant_id")),
        SessionId.of(uuid(rs, "session_id")),
        new ChatId(rs.getString("chat_id")),
        rs.getString("sender_phone"),
        rs.getString("sender_lid"),
        rs.getString("sender_name"),
        rs.getString("message_type"),
        rs.getString("body"),
        instant(rs, "created_at"));
  }

  private static String preview(String body) {
    return body == null || body.length() <= 500 ? body : body.substring(0, 500);
  }
}
