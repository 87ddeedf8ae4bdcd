package io.flowmate.messaging.labels;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Labels, their WhatsApp Business twins per session, and the chats that carry them. */
@Repository
public class LabelRepository {

  public record Label(
      UUID id,
      TenantId tenantId,
      String name,
      String color,
      String description,
      int chatCount,
      boolean synced,
      Instant createdAt,
      Instant updatedAt) {}

  private static final String SELECT =
      """
      SELECT l.*,
        (SELECT count(*) FROM messaging_chat_label c WHERE c.label_id = l.id) AS chat_count,
        EXISTS (SELECT 1 FROM messaging_label_sync s WHERE s.label_id = l.id) AS synced
      FROM messaging_label l
      """;

  private final JdbcClient jdbc;

  LabelRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the label unless the tenant has one of that name in any case, also one another
   * transaction is inserting right now (an import racing a label event from the phone).
   *
   * @return whether it was inserted
   */
  boolean insertIfAbsent(
      UUID id, TenantId tenant, String name, String color, String description, Instant at) {
    return jdbc.sql(
                """
                INSERT INTO messaging_label (id, tenant_id, name, color, description, created_at, updated_at)
                VALUES (:id, :tenant, :name, :color, :description, :at, :at)
                ON CONFLICT (tenant_id, lower(name)) DO NOTHING
                """)
            .param("id", id)
            .param("tenant", tenant.value())
            .param("name", name)
            .param("color", color)
            .param("description", description)
            .param("at", timestamp(at))
            .update()
        == 1;
  }

  void update(UUID id, String name, String color, String description, Instant at) {
    jdbc.sql(
            "UPDATE messaging_label SET name = :name, color = :color, description = :description,"
                + " updated_at = :at WHERE id = :id")
        .param("id", id)
        .param("name", name)
        .param("color", color)
        .param("description", description)
        .param("at", timestamp(at))
        .update();
  }

  void delete(UUID id) {
    jdbc.sql("DELETE FROM messaging_label WHERE id = :id").param("id", id).update();
  }

  public Optional<Label> find(TenantId tenant, UUID id) {
    return jdbc.sql(SELECT + " WHERE l.tenant_id = :tenant AND l.id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(LabelRepository::map)
        .optional();
  }

  Optional<Label> findByName(TenantId tenant, String name) {
    return jdbc.sql(SELECT + " WHERE l.tenant_id = :tenant AND lower(l.name) = lower(:name)")
        .param("tenant", tenant.value())
        .param("name", name)
        .query(LabelRepository::map)
        .optional();
  }

  List<Label> list(TenantId tenant) {
    return jdbc.sql(SELECT + " WHERE l.tenant_id = :tenant ORDER BY l.name")
        .param("tenant", tenant.value())
        .query(LabelRepository::map)
        .list();
  }

  Optional<String> waLabelId(UUID labelId, UUID sessionId) {
    return jdbc.sql(
            "SELECT wa_label_id FROM messaging_label_sync WHERE label_id = :label AND session_id = :session")
        .param("label", labelId)
        .param("session", sessionId)
        .query(String.class)
        .optional();
  }

  Optional<UUID> labelForWaId(UUID sessionId, String waLabelId) {
    return jdbc.sql(
            "SELECT label_id FROM messaging_label_sync WHERE session_id = :session AND wa_label_id = :wa")
        .param("session", sessionId)
        .param("wa", waLabelId)
        .query(UUID.class)
        .optional();
  }

  void link(UUID labelId, UUID sessionId, String waLabelId) {
    jdbc.sql(
            """
            INSERT INTO messaging_label_sync (label_id, session_id, wa_label_id)
            VALUES (:label, :session, :wa)
            ON CONFLICT (label_id, session_id) DO UPDATE SET wa_label_id = EXCLUDED.wa_label_id
            """)
        .param("label", labelId)
        .param("session", sessionId)
        .param("wa", waLabelId)
        .update();
  }

  List<String> linkedSessions(UUID labelId) {
    return jdbc.sql("SELECT session_id FROM messaging_label_sync WHERE label_id = :label")
        .param("label", labelId)
        .query(String.class)
        .list();
  }

  void addToChat(TenantId tenant, UUID sessionId, ChatId chat, UUID labelId, Instant at) {
    jdbc.sql(
            """
            INSERT INTO messaging_chat_label (tenant_id, session_id, chat_id, label_id, created_at)
            VALUES (:tenant, :session, :chat, :label, :at) ON CONFLICT DO NOTHING
            """)
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .param("chat", chat.value())
        .param("label", labelId)
        .param("at", timestamp(at))
        .update();
  }

  void removeFromChat(UUID sessionId, ChatId chat, UUID labelId) {
    jdbc.sql(
            "DELETE FROM messaging_chat_label WHERE session_id = :session AND chat_id = :chat"
                + " AND label_id = :label")
        .param("session", sessionId)
        .param("chat", chat.value())
        .param("label", labelId)
        .update();
  }

  public List<UUID> labelsOfChat(UUID sessionId, ChatId chat) {
    return jdbc.sql(
            "SELECT label_id FROM messaging_chat_label WHERE session_id = :session AND chat_id = :chat")
        .param("session", sessionId)
        .param("chat", chat.value())
        .query(UUID.class)
        .list();
  }

  record LabelledChat(UUID sessionId, String chatId, Instant labelledAt) {}

  List<LabelledChat> chatsWith(UUID labelId) {
    return jdbc.sql(
            "SELECT session_id, chat_id, created_at FROM messaging_chat_label WHERE label_id = :label"
                + " ORDER BY created_at DESC")
        .param("label", labelId)
        .query((rs, row) ->
            new LabelledChat(
                uuid(rs, "session_id"), rs.getString("chat_id"), instant(rs, "created_at")))
        .list();
  }

  private static Label map(ResultSet rs, int row) throws SQLException {
    return new Label(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        rs.getString("name"),
        rs.getString("color"),
        rs.getString("description"),
        rs.getInt("chat_count"),
        rs.getBoolean("synced"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
