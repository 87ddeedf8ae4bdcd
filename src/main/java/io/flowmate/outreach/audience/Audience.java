package io.flowmate.outreach.audience;

import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Whom a campaign or schedule reaches: the members of a custom group, optionally only those whose
 * custom fields have given values ("unpaid = yes"), in a stable order so that a 100,000-member
 * audience is read a page at a time and a crash resumes after the last page planned.
 */
@Repository
public class Audience {

  private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  Audience(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A member as a recipient: the number, and what personalisation may use. */
  public record Member(UUID id, String phone, String name, Map<String, String> fields) {

    public ChatId chat() {
      return ChatId.parse(phone);
    }
  }

  /**
   * The next page of the group's members after {@code after} (null: from the start), id order.
   *
   * @param fieldsEqual members whose fields contain all of these values; empty for everyone
   */
  public List<Member> page(UUID groupId, Map<String, String> fieldsEqual, UUID after, int limit) {
    return jdbc.sql(
            """
            SELECT id, phone, name, fields FROM outreach_custom_group_member
            WHERE group_id = :group AND fields @> CAST(:filter AS jsonb)
              AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))
            ORDER BY id LIMIT :limit
            """)
        .param("group", groupId)
        .param("filter", write(fieldsEqual))
        .param("after", after)
        .param("limit", limit)
        .query(this::map)
        .list();
  }

  public boolean groupExists(TenantId tenant, UUID groupId) {
    return jdbc.sql(
            "SELECT EXISTS (SELECT 1 FROM outreach_custom_group WHERE tenant_id = :tenant AND id = :id)")
        .param("tenant", tenant.value())
        .param("id", groupId)
        .query(Boolean.class)
        .single();
  }

  /** How many members the filter selects. */
  public long count(UUID groupId, Map<String, String> fieldsEqual) {
    return jdbc.sql(
            "SELECT count(*) FROM outreach_custom_group_member WHERE group_id = :group"
                + " AND fields @> CAST(:filter AS jsonb)")
        .param("group", groupId)
        .param("filter", write(fieldsEqual))
        .query(Long.class)
        .single();
  }

  /**
   * Which of these phone numbers (E.164 digits) are members the filter selects, with what
   * personalisation may use; one indexed look-up for all of them.
   */
  public List<Member> membersAmong(
      UUID groupId, Map<String, String> fieldsEqual, Collection<String> phones) {
    if (phones.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            SELECT id, phone, name, fields FROM outreach_custom_group_member
            WHERE group_id = :group AND phone = ANY (CAST(:phones AS text[]))
              AND fields @> CAST(:filter AS jsonb)
            """)
        .param("group", groupId)
        .param("phones", phones.toArray(String[]::new))
        .param("filter", write(fieldsEqual))
        .query(this::map)
        .list();
  }

  private String write(Map<String, String> fieldsEqual) {
    try {
      return json.writeValueAsString(fieldsEqual == null ? Map.of() : fieldsEqual);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private Member map(ResultSet rs, int row) throws SQLException {
    try {
      return new Member(
          uuid(rs, "id"),
          rs.getString("phone"),
          rs.getString("name"),
          json.readValue(rs.getString("fields"), FIELDS));
    } catch (JsonProcessingException e) {
      throw new SQLException(
          "fields of member " + rs.getString("id") + " are not an object of strings", e);
    }
  }
}
