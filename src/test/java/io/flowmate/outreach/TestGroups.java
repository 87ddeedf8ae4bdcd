package io.flowmate.outreach;

import io.flowmate.core.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Custom groups for outreach tests, written straight into their tables. */
record TestGroups(JdbcClient jdbc) {

  /** A member: phone (E.164 digits), name, custom fields. */
  record Member(String phone, String name, Map<String, String> fields) {
    static Member of(String phone, String name) {
      return new Member(phone, name, Map.of());
    }
  }

  UUID create(UUID tenantId, List<Member> members) {
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

  void add(UUID group, List<Member> members) {
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

  /** Many members in one statement: generated numbers 49170<seq>. */
  void addGenerated(UUID group, int count) {
    jdbc.sql(
            """
            INSERT INTO outreach_custom_group_member (id, group_id, phone, name, fields, created_at)
            SELECT gen_random_uuid(), :group, '49170' || lpad(n::text, 8, '0'), 'Member ' || n, '{}', now()
            FROM generate_series(1, :count) AS n
            """)
        .param("group", group)
        .param("count", count)
        .update();
  }

  private static String json(Map<String, String> fields) {
    StringBuilder out = new StringBuilder("{");
    fields.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
    return out.append('}').toString();
  }
}
