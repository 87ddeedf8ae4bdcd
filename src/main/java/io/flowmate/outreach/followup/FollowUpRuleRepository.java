package io.flowmate.outreach.followup;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Follow-up rules. All SQL on {@code outreach_follow_up_rule} lives here. */
@Repository
class FollowUpRuleRepository {

  private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json = new ObjectMapper();

  FollowUpRuleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(FollowUpRule rule) {
    jdbc.sql(
            """
            INSERT INTO outreach_follow_up_rule (id, tenant_id, session_id, name, custom_group_id,
              audience_filter, wait_seconds, message_content, max_rounds, active, scanned_until,
              created_at, updated_at)
            VALUES (:id, :tenant, :session, :name, :group, CAST(:filter AS jsonb), :wait, :content,
              :maxRounds, true, :createdAt, :createdAt, :createdAt)
            """)
        .param("id", rule.id())
        .param("tenant", rule.tenantId().value())
        .param("session", rule.sessionId())
        .param("name", rule.name())
        .param("group", rule.audience().customGroupId())
        .param("filter", write(rule.audience().fieldsEqual()))
        .param("wait", rule.waitTime().toSeconds())
        .param("content", rule.messageContent())
        .param("maxRounds", rule.maxRounds())
        .param("createdAt", timestamp(rule.createdAt()))
        .update();
  }

  Optional<FollowUpRule> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM outreach_follow_up_rule WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(this::map)
        .optional();
  }

  Optional<FollowUpRule> findById(UUID id) {
    return jdbc.sql("SELECT * FROM outreach_follow_up_rule WHERE id = :id")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  /** The tenant's rules, newest first, optionally only the active ones. */
  List<FollowUpRule> page(TenantId tenant, boolean activeOnly, PageQuery page) {
    return jdbc.sql(
            """
            SELECT * FROM outreach_follow_up_rule
            WHERE tenant_id = :tenant AND (active OR NOT :activeOnly)
            ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset
            """)
        .param("tenant", tenant.value())
        .param("activeOnly", activeOnly)
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query(this::map)
        .list();
  }

  long count(TenantId tenant, boolean activeOnly) {
    return jdbc.sql(
            "SELECT count(*) FROM outreach_follow_up_rule WHERE tenant_id = :tenant AND (active OR NOT :activeOnly)")
        .param("tenant", tenant.value())
        .param("activeOnly", activeOnly)
        .query(Long.class)
        .single();
  }

  /** Every tenant's active rules: few, read by each sweep. */
  List<FollowUpRule> active() {
    return jdbc.sql("SELECT * FROM outreach_follow_up_rule WHERE active ORDER BY id")
        .query(this::map)
        .list();
  }

  /** Deactivates the rule; false if it was inactive already. */
  boolean deactivate(UUID id, Instant now) {
    return jdbc.sql(
                """
                UPDATE outreach_follow_up_rule SET active = false, deactivated_at = :now, updated_at = :now
                WHERE id = :id AND active
                """)
            .param("id", id)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /** Records that the rules' messages up to {@code until} were examined (never moves back). */
  void markScanned(Collection<UUID> ids, Instant until) {
    jdbc.sql(
            """
            UPDATE outreach_follow_up_rule SET scanned_until = :until
            WHERE id = ANY (CAST(:ids AS uuid[])) AND scanned_until < :until
            """)
        .param("ids", ids.toArray(UUID[]::new))
        .param("until", timestamp(until))
        .update();
  }

  /**
   * Whether the tenant has this custom group. (A look-up of the custom-groups API can replace this
   * once it exists; the table is this module's own.)
   */
  private String write(Map<String, String> fields) {
    try {
      return json.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private FollowUpRule map(ResultSet rs, int row) throws SQLException {
    Map<String, String> filter;
    try {
      filter = json.readValue(rs.getString("audience_filter"), FIELDS);
    } catch (JsonProcessingException e) {
      throw new SQLException(
          "audience_filter of rule " + rs.getString("id") + " is not an object of strings", e);
    }
    return new FollowUpRule(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        uuid(rs, "session_id"),
        rs.getString("name"),
        new FollowUpAudience(uuid(rs, "custom_group_id"), filter),
        Duration.ofSeconds(rs.getLong("wait_seconds")),
        rs.getString("message_content"),
        rs.getInt("max_rounds"),
        rs.getBoolean("active"),
        instant(rs, "scanned_until"),
        instant(rs, "created_at"),
        instant(rs, "deactivated_at"));
  }
}
