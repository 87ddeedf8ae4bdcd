package io.flowmate.support;

import io.flowmate.core.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Custom groups for outreach tests, written straight into their tables. */
public record TestGroups(JdbcClient jdbc) {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A member: phone (E.164 digits), name, custom fields. */
  public record Member(String phone, String name, Map<String, String> fields) {
    public static Member of(String phone, String name) {
      return new Member(phone, name, Map.of());
    }
  }

  public UUID create(UUID tenantId, List<Member> members) {
    UUID group = Ids.newId();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql(
            "INSERT INTO outreach_custom_group (id, tenant_id, name, created_at, updated_at)"
                + " VALUES (:id, :tenant, :name, :now, :now)")
        .param("id", group)
        .param("tenant", tenantId)
        .param("name", "group-" + group)
        .param("now", now)
        .update();
    add(group, members);
    return group;
  }

  public void add(UUID group, List<Member> members) {
    Timestamp now = Timestamp.from(Instant.now());
    for (Member member : members) {
      jdbc.sql(
              "INSERT INTO outreach_custom_group_member (id, group_id, phone, name, fields, created_at)"
                  + " VALUES (:id, :group, :phone, :name, CAST(:fields AS jsonb), :now)")
          .param("id", Ids.newId())
          .param("group", group)
          .param("phone", member.phone())
          .param("name", member.name())
          .param("fields", json(member.fields()))
          .param("now", now)
          .update();
    }
  }

  public void member(UUID group, String phone, String name, Map<String, String> fields) {
    add(group, List.of(new Member(phone, name, fields)));
  }

  public void removeMember(UUID group, String phone) {
    jdbc.sql("DELETE FROM outreach_custom_group_member WHERE group_id = :group AND phone = :phone")
        .param("group", group)
        .param("phone", phone)
        .update();
  }

  /** Many members in one statement: numbers 4917<9-digit sequence>, names "Member <n>". */
  public void addGenerated(UUID group, int count) {
    jdbc.sql(
            """
            INSERT INTO outreach_custom_group_member (id, group_id, phone, name, fields, created_at)
            SELECT gen_random_uuid(), :group, '4917' || lpad(n::text, 9, '0'), 'Member ' || n, '{}', now()
            FROM generate_series(1, :count) AS n
            """)
        .param("group", group)
        .param("count", count)
        .update();
  }

  private static String json(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
