package io.flowmate.outreach;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Custom groups and their members written straight into the tables (the custom-groups API is
 * built in parallel), for tests whose audience is a custom group.
 */
final class AudienceRows {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcClient jdbc;

  AudienceRows(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  UUID group(UUID tenantId) {
    UUID id = Ids.newId();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql(
            "INSERT INTO outreach_custom_group (id, tenant_id, name, created_at, updated_at)"
                + " VALUES (:id, :tenant, :name, :now, :now)")
        .param("id", id)
        .param("tenant", tenantId)
        .param("name", "group-" + id)
        .param("now", now)
        .update();
    return id;
  }

  void member(UUID groupId, String phone, String name, Map<String, String> fields) {
    try {
      jdbc.sql(
              "INSERT INTO outreach_custom_group_member (id, group_id, phone, name, fields, created_at)"
                  + " VALUES (:id, :group, :phone, :name, CAST(:fields AS jsonb), :now)")
          .param("id", Ids.newId())
          .param("group", groupId)
          .param("phone", phone)
          .param("name", name)
          .param("fields", JSON.writeValueAsString(fields))
          .param("now", Timestamp.from(Instant.now()))
          .update();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  void removeMember(UUID groupId, String phone) {
    jdbc.sql("DELETE FROM outreach_custom_group_member WHERE group_id = :group AND phone = :phone")
        .param("group", groupId)
        .param("phone", phone)
        .update();
  }
}
