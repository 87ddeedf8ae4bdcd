package io.flowmate.messaging.message;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableInt;
import static io.flowmate.core.db.Sql.nullableLong;
import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.ChatId;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.Outbox;
import io.flowmate.messaging.events.MessageStatusChanged;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * How a row of {@code messaging_message} becomes a {@link Message}, shared by the repositories of
 * the features.
 */
public final class MessageRows {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private static final ObjectMapper JSON = new ObjectMapper();

  private MessageRows() {}

  public static Message message(ResultSet rs, int row) throws SQLException {
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
            payload(rs.getString("payload")),
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
        Outbox.SendGap.ofMillis(
            nullableInt(rs, "send_gap_min_ms"), nullableInt(rs, "send_gap_max_ms")));
  }

  public static String json(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not JSON-serialisable", e);
    }
  }

  private static Map<String, Object> payload(String value) {
    if (value == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(value, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored payload is not JSON", e);
    }
  }

  /** One column of a multi-row statement, as the array {@code unnest} takes apart. */
  public static <T> T[] column(
      List<Message> rows, Function<Message, T> value, IntFunction<T[]> array) {
    return rows.stream().map(value).toArray(array);
  }

  /**
   * What {@link Moved} is read from: the row after the statement, and the expression giving the
   * status before it (the {@code %s}).
   */
  public static final String MOVED =
      "m.id, m.tenant_id, m.session_id, m.chat_id, m.origin_kind, m.origin_id, m.failure_reason,"
          + " m.sent_at, %s AS previous_status";

  /** An outgoing message a statement moved: what other modules are told about it. */
  public record Moved(
      UUID messageId,
      TenantId tenantId,
      UUID sessionId,
      String chatId,
      String originKind,
      UUID originId,
      String previousStatus,
      String failureReason,
      Instant sentAt) {

    public MessageStatusChanged changed(String status, Instant at) {
      return new MessageStatusChanged(
          tenantId,
          SessionId.of(sessionId),
          MessageId.of(messageId),
          status,
          at,
          previousStatus,
          chatId,
          originKind,
          originId,
          failureReason,
          sentAt);
    }
  }

  public static Moved moved(ResultSet rs, int row) throws SQLException {
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
}
