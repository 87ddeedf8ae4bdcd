package io.flowmate.messaging.chats;

import static io.flowmate.core.db.Sql.timestamp;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.spi.GroupMember;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The WhatsApp groups a number is in, and their participants, as transports report them. */
@Repository
public class GroupRepository {

  public record GroupRow(ChatId groupId, String subject, int participantCount, boolean member) {}

  record MemberRow(String lid, String phone, String role, boolean present) {}

  private final JdbcClient jdbc;

  GroupRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void upsert(
      TenantId tenant, UUID sessionId, ChatId group, String subject, Boolean member, Instant at) {
    jdbc.sql(
            """
            INSERT INTO messaging_group AS g (tenant_id, session_id, group_id, subject, is_member, updated_at)
            VALUES (:tenant, :session, :group, :subject, COALESCE(:member, true), :at)
            ON CONFLICT (session_id, group_id) DO UPDATE SET
              subject = COALESCE(EXCLUDED.subject, g.subject),
              is_member = COALESCE(:member, g.is_member), updated_at = EXCLUDED.updated_at
            """)
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .param("group", group.value())
        .param("subject", subject)
        .param("member", member)
        .param("at", timestamp(at))
        .update();
  }

  /** Applies a join/leave/promote/demote to the member list and keeps the count right. */
  public void changeMembers(
      TenantId tenant,
      UUID sessionId,
      ChatId group,
      String change,
      List<GroupMember> members,
      Instant at) {
    upsert(tenant, sessionId, group, null, null, at);
    for (GroupMember member : members) {
      String key =
          member.identity().lid() != null
              ? member.identity().lid()
              : member.identity().phoneNumber();
      if (key == null) {
        continue;
      }
      String role =
          switch (change) {
            case "promote" -> "admin";
            case "demote" -> "member";
            default -> member.role() == null ? "member" : member.role();
          };
      jdbc.sql(
              """
              INSERT INTO messaging_group_member AS m (session_id, group_id, member_key, lid, phone, role,
                left_at, updated_at)
              VALUES (:session, :group, :key, :lid, :phone, :role, CASE WHEN :leave THEN CAST(:at AS timestamptz) END, :at)
              ON CONFLICT (session_id, group_id, member_key) DO UPDATE SET
                lid = COALESCE(EXCLUDED.lid, m.lid), phone = COALESCE(EXCLUDED.phone, m.phone),
                role = CASE WHEN :leave THEN m.role ELSE EXCLUDED.role END,
                left_at = CASE WHEN :leave THEN CAST(:at AS timestamptz) ELSE NULL END, updated_at = EXCLUDED.updated_at
              """)
          .param("session", sessionId)
          .param("group", group.value())
          .param("key", key)
          .param("lid", member.identity().lid())
          .param("phone", member.identity().phoneNumber())
          .param("role", role)
          .param("leave", change.equals("leave"))
          .param("at", timestamp(at))
          .update();
    }
    jdbc.sql(
            """
            UPDATE messaging_group SET participant_count = (
              SELECT count(*) FROM messaging_group_member
              WHERE session_id = :session AND group_id = :group AND left_at IS NULL)
            WHERE session_id = :session AND group_id = :group
            """)
        .param("session", sessionId)
        .param("group", group.value())
        .update();
  }

  public List<GroupRow> list(UUID sessionId) {
    return jdbc.sql(
            "SELECT * FROM messaging_group WHERE session_id = :session ORDER BY subject, group_id")
        .param("session", sessionId)
        .query((rs, row) ->
            new GroupRow(
                new ChatId(rs.getString("group_id")),
                rs.getString("subject"),
                rs.getInt("participant_count"),
                rs.getBoolean("is_member")))
        .list();
  }

  List<MemberRow> members(UUID sessionId, ChatId group) {
    return jdbc.sql(
            "SELECT * FROM messaging_group_member WHERE session_id = :session AND group_id = :group"
                + " ORDER BY member_key")
        .param("session", sessionId)
        .param("group", group.value())
        .query((rs, row) ->
            new MemberRow(
                rs.getString("lid"),
                rs.getString("phone"),
                rs.getString("role"),
                rs.getTimestamp("left_at") == null))
        .list();
  }
}
