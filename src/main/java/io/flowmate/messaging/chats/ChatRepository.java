package io.flowmate.messaging.chats;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.timestampText;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import io.flowmate.messaging.message.Message;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** One row per chat of a session, kept up to date as messages are stored. */
@Repository
public class ChatRepository {

  public record Chat(
      UUID sessionId,
      ChatId chatId,
      String name,
      boolean isGroup,
      Instant lastMessageAt,
      String lastMessagePreview,
      String lastDirection,
      Instant lastInboundAt,
      Instant lastOutboundAt,
      int unreadCount,
      int messageCount) {}

  private final JdbcClient jdbc;

  ChatRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A new message for its chat's summary; {@code name} is the chat's name if the message tells it.
   */
  public record Entry(Message message, String name, Instant at) {}

  /** Counts a new message in its chat; answers when we last wrote there (null: never). */
  public Instant record(Message message, String name, Instant at) {
    return record(List.of(new Entry(message, name, at)))
        .get(key(message.sessionId(), message.chatId()));
  }

  /**
   * Counts new messages in their chats (creating a chat on its first message), in one statement:
   * last message and its preview, unread count (an outgoing message marks the chat read), the last
   * times each side wrote. Answers per chat ({@link #key}) when we last wrote there (null: never),
   * so that a reply only looks for our messages when there are any.
   */
  public Map<String, Instant> record(List<Entry> entries) {
    Map<String, Summary> chats = new LinkedHashMap<>();
    for (Entry entry : entries) {
      chats
          .computeIfAbsent(
              key(entry.message().sessionId(), entry.message().chatId()), k -> new Summary(entry))
          .add(entry);
    }
    List<Summary> summaries = List.copyOf(chats.values());
    Map<String, Instant> lastOutbound = new HashMap<>();
    jdbc.sql(
            """
            INSERT INTO messaging_chat AS c (tenant_id, session_id, chat_id, name, is_group,
              last_message_at, last_message_preview, last_direction, last_inbound_at,
              last_outbound_at, unread_count, message_count)
            SELECT * FROM unnest(CAST(:tenants AS uuid[]), CAST(:sessions AS uuid[]),
              CAST(:chats AS text[]), CAST(:names AS text[]), CAST(:groups AS boolean[]),
              CAST(:ats AS timestamptz[]), CAST(:previews AS text[]), CAST(:directions AS text[]),
              CAST(:inbound AS timestamptz[]), CAST(:outbound AS timestamptz[]),
              CAST(:unread AS int[]), CAST(:counts AS int[]))
            ON CONFLICT (session_id, chat_id) DO UPDATE SET
              name = COALESCE(EXCLUDED.name, c.name),
              last_message_at = GREATEST(c.last_message_at, EXCLUDED.last_message_at),
              last_message_preview = CASE WHEN EXCLUDED.last_message_at >= c.last_message_at
                THEN EXCLUDED.last_message_preview ELSE c.last_message_preview END,
              last_direction = CASE WHEN EXCLUDED.last_message_at >= c.last_message_at
                THEN EXCLUDED.last_direction ELSE c.last_direction END,
              last_inbound_at = GREATEST(c.last_inbound_at, EXCLUDED.last_inbound_at),
              last_outbound_at = GREATEST(c.last_outbound_at, EXCLUDED.last_outbound_at),
              unread_count = CASE WHEN EXCLUDED.last_outbound_at IS NOT NULL THEN EXCLUDED.unread_count
                ELSE c.unread_count + EXCLUDED.unread_count END,
              message_count = c.message_count + EXCLUDED.message_count,
              recorded_at = now()
            RETURNING c.session_id, c.chat_id, c.last_outbound_at
            """)
        .param("tenants", summaries.stream().map(c -> c.tenant).toArray(UUID[]::new))
        .param("sessions", summaries.stream().map(c -> c.session).toArray(UUID[]::new))
        .param("chats", summaries.stream().map(c -> c.chat.value()).toArray(String[]::new))
        .param("names", summaries.stream().map(c -> c.name).toArray(String[]::new))
        .param(
            "groups",
            summaries.stream().map(c -> c.chat.kind() == ChatId.Kind.GROUP).toArray(Boolean[]::new))
        .param("ats", summaries.stream().map(c -> timestampText(c.lastAt)).toArray(String[]::new))
        .param("previews", summaries.stream().map(c -> c.preview).toArray(String[]::new))
        .param("directions", summaries.stream().map(c -> c.direction).toArray(String[]::new))
        .param(
            "inbound",
            summaries.stream().map(c -> timestampText(c.lastInbound)).toArray(String[]::new))
        .param(
            "outbound",
            summaries.stream().map(c -> timestampText(c.lastOutbound)).toArray(String[]::new))
        .param("unread", summaries.stream().map(c -> c.unread).toArray(Integer[]::new))
        .param("counts", summaries.stream().map(c -> c.count).toArray(Integer[]::new))
        .query((rs, row) ->
            lastOutbound.put(
                uuid(rs, "session_id") + "/" + rs.getString("chat_id"),
                instant(rs, "last_outbound_at")))
        .list();
    return lastOutbound;
  }

  /** How a chat is named in {@link #record(List)}'s answer. */
  public static String key(UUID sessionId, ChatId chat) {
    return sessionId + "/" + chat.value();
  }

  /** What a chat's new messages change, folded in their order. */
  private static final class Summary {
    final UUID tenant;
    final UUID session;
    final ChatId chat;
    String name;
    Instant lastAt;
    String preview;
    String direction;
    Instant lastInbound;
    Instant lastOutbound;
    int unread;
    int count;

    Summary(Entry first) {
      tenant = first.message().tenantId().value();
      session = first.message().sessionId();
      chat = first.message().chatId();
    }

    void add(Entry entry) {
      Message message = entry.message();
      Instant at = entry.at();
      name = entry.name() != null ? entry.name() : name;
      if (lastAt == null || !at.isBefore(lastAt)) {
        lastAt = at;
        String text = message.content().preview();
        preview = text == null ? null : text.substring(0, Math.min(120, text.length()));
        direction = message.direction().value();
      }
      if (message.isOutbound()) {
        lastOutbound = lastOutbound == null || at.isAfter(lastOutbound) ? at : lastOutbound;
        unread = 0; // answering marks the chat read
      } else {
        lastInbound = lastInbound == null || at.isAfter(lastInbound) ? at : lastInbound;
        unread++;
      }
      count++;
    }
  }

  /** A direct chat's last times each side wrote, and when that was recorded. */
  public record DirectChat(
      UUID tenantId,
      UUID sessionId,
      ChatId chatId,
      Instant lastInboundAt,
      Instant lastOutboundAt,
      Instant recordedAt) {}

  /**
   * Direct (not group) chats whose summary changed after ({@code afterAt}, {@code afterSession},
   * {@code afterChat}) and at or before {@code until}, in that order.
   */
  public List<DirectChat> directChatsRecorded(
      Instant afterAt, UUID afterSession, String afterChat, Instant until, int limit) {
    return jdbc.sql(
            """
            SELECT tenant_id, session_id, chat_id, last_inbound_at, last_outbound_at, recorded_at
              FROM messaging_chat
             WHERE NOT is_group AND recorded_at <= :until
               AND (recorded_at, session_id, chat_id) > (:afterAt, CAST(:afterSession AS uuid), :afterChat)
             ORDER BY recorded_at, session_id, chat_id LIMIT :limit
            """)
        .param("afterAt", timestamp(afterAt))
        .param("afterSession", afterSession)
        .param("afterChat", afterChat)
        .param("until", timestamp(until))
        .param("limit", limit)
        .query((rs, row) ->
            new DirectChat(
                uuid(rs, "tenant_id"),
                uuid(rs, "session_id"),
                new ChatId(rs.getString("chat_id")),
                instant(rs, "last_inbound_at"),
                instant(rs, "last_outbound_at"),
                instant(rs, "recorded_at")))
        .list();
  }

  public void markRead(UUID sessionId, ChatId chat) {
    jdbc.sql(
            "UPDATE messaging_chat SET unread_count = 0 WHERE session_id = :session AND chat_id = :chat")
        .param("session", sessionId)
        .param("chat", chat.value())
        .update();
  }

  public Optional<Chat> find(UUID sessionId, ChatId chat) {
    return jdbc.sql("SELECT * FROM messaging_chat WHERE session_id = :session AND chat_id = :chat")
        .param("session", sessionId)
        .param("chat", chat.value())
        .query(ChatRepository::map)
        .optional();
  }

  List<Chat> list(TenantId tenant, UUID sessionId, PageQuery page) {
    return jdbc.sql(
            """
            SELECT * FROM messaging_chat WHERE tenant_id = :tenant AND session_id = :session
            ORDER BY last_message_at DESC, chat_id LIMIT :limit OFFSET :offset
            """)
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query(ChatRepository::map)
        .list();
  }

  long count(TenantId tenant, UUID sessionId) {
    return jdbc.sql(
            "SELECT count(*) FROM messaging_chat WHERE tenant_id = :tenant AND session_id = :session")
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .query(Long.class)
        .single();
  }

  /**
   * Direct chats (not groups) of the tenant's numbers where the contact wrote last: nobody answered
   * since. Longest waiting first.
   */
  public List<Chat> unanswered(TenantId tenant, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM messaging_chat
            WHERE tenant_id = :tenant AND NOT is_group AND last_inbound_at IS NOT NULL
              AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at)
            ORDER BY last_inbound_at, chat_id LIMIT :limit
            """)
        .param("tenant", tenant.value())
        .param("limit", limit)
        .query(ChatRepository::map)
        .list();
  }

  public long countUnanswered(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT count(*) FROM messaging_chat
            WHERE tenant_id = :tenant AND NOT is_group AND last_inbound_at IS NOT NULL
              AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at)
            """)
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  /** Direct chats with at least {@code minMessages} messages, most messages first. */
  public List<Chat> mostActive(TenantId tenant, int minMessages, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM messaging_chat
            WHERE tenant_id = :tenant AND NOT is_group AND message_count >= :min
            ORDER BY message_count DESC, last_message_at DESC, chat_id LIMIT :limit
            """)
        .param("tenant", tenant.value())
        .param("min", minMessages)
        .param("limit", limit)
        .query(ChatRepository::map)
        .list();
  }

  public long countMostActive(TenantId tenant, int minMessages) {
    return jdbc.sql(
            "SELECT count(*) FROM messaging_chat WHERE tenant_id = :tenant AND NOT is_group AND message_count >= :min")
        .param("tenant", tenant.value())
        .param("min", minMessages)
        .query(Long.class)
        .single();
  }

  private static Chat map(ResultSet rs, int row) throws SQLException {
    return new Chat(
        uuid(rs, "session_id"),
        new ChatId(rs.getString("chat_id")),
        rs.getString("name"),
        rs.getBoolean("is_group"),
        instant(rs, "last_message_at"),
        rs.getString("last_message_preview"),
        rs.getString("last_direction"),
        instant(rs, "last_inbound_at"),
        instant(rs, "last_outbound_at"),
        rs.getInt("unread_count"),
        rs.getInt("message_count"));
  }
}
