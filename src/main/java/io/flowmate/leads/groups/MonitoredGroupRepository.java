package io.flowmate.leads.groups;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.strings;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenant's monitored groups. Every query but {@link #active} names the tenant. */
@Repository
class MonitoredGroupRepository {

  private final JdbcClient jdbc;

  MonitoredGroupRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Serialises creations of one tenant's monitored groups until the transaction ends, so that two
   * concurrent requests cannot both pass the plan's cap.
   */
  void lockTenant(TenantId tenant) {
    jdbc.sql(
            "SELECT pg_advisory_xact_lock(hashtext('leads_monitored_group'), hashtext(CAST(:tenant AS text)))")
        .param("tenant", tenant.value())
        .query((rs, row) -> 1)
        .list();
  }

  /**
   * @return whether it was inserted (false: the number already monitors the group)
   */
  boolean insertIfAbsent(MonitoredGroup group) {
    MonitoredGroup.Script script = group.script();
    return jdbc.sql(
                """
                INSERT INTO leads_monitored_group (id, tenant_id, session_id, wa_group_id, name, is_active, monitor_mode,
                    monitor_keywords, monitor_prompt, auto_respond, response_template, auto_label_leads, lead_label_id,
                    webhook_url, monitoring_since, created_at, updated_at)
                VALUES (:id, :tenant, :session, :group, :name, :active, :mode, :keywords, :prompt, :autoRespond,
                    :template, :autoLabel, :label, :webhook, :since, :createdAt, :updatedAt)
                ON CONFLICT (tenant_id, session_id, wa_group_id) DO NOTHING
                """)
            .param("id", group.id())
            .param("tenant", group.tenantId().value())
            .param("session", group.sessionId())
            .param("group", group.waGroupId().value())
            .param("name", group.name())
            .param("active", group.active())
            .param("mode", group.mode().value())
            .param("keywords", group.keywords().toArray(String[]::new))
            .param("prompt", script.monitorPrompt())
            .param("autoRespond", script.autoRespond())
            .param("template", script.responseTemplate())
            .param("autoLabel", script.autoLabelLeads())
            .param("label", script.leadLabelId())
            .param("webhook", script.webhookUrl())
            .param("since", timestamp(group.monitoringSince()))
            .param("createdAt", timestamp(group.createdAt()))
            .param("updatedAt", timestamp(group.updatedAt()))
            .update()
        == 1;
  }

  /** Writes the settings (not the figures, which detection keeps counting meanwhile). */
  boolean updateSettings(MonitoredGroup group) {
    MonitoredGroup.Script script = group.script();
    return jdbc.sql(
                """
                UPDATE leads_monitored_group SET name = :name, is_active = :active, monitor_mode = :mode,
                    monitor_keywords = :keywords, monitor_prompt = :prompt, auto_respond = :autoRespond,
                    response_template = :template, auto_label_leads = :autoLabel, lead_label_id = :label,
                    webhook_url = :webhook, monitoring_since = :since, updated_at = :updatedAt
                 WHERE tenant_id = :tenant AND id = :id
                """)
            .param("id", group.id())
            .param("tenant", group.tenantId().value())
            .param("name", group.name())
            .param("active", group.active())
            .param("mode", group.mode().value())
            .param("keywords", group.keywords().toArray(String[]::new))
            .param("prompt", script.monitorPrompt())
            .param("autoRespond", script.autoRespond())
            .param("template", script.responseTemplate())
            .param("autoLabel", script.autoLabelLeads())
            .param("label", script.leadLabelId())
            .param("webhook", script.webhookUrl())
            .param("since", timestamp(group.monitoringSince()))
            .param("updatedAt", timestamp(group.updatedAt()))
            .update()
        == 1;
  }

  boolean delete(TenantId tenant, UUID id) {
    return jdbc.sql("DELETE FROM leads_monitored_group WHERE tenant_id = :tenant AND id = :id")
            .param("tenant", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  /** Stops monitoring every group of the session; answers how many there were. */
  int deleteOfSession(TenantId tenant, UUID sessionId) {
    return jdbc.sql(
            "DELETE FROM leads_monitored_group WHERE tenant_id = :tenant AND session_id = :session")
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .update();
  }

  Optional<MonitoredGroup> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM leads_monitored_group WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(MonitoredGroupRepository::map)
        .optional();
  }

  Optional<UUID> idOf(TenantId tenant, UUID sessionId, ChatId group) {
    return jdbc.sql(
            "SELECT id FROM leads_monitored_group WHERE tenant_id = :tenant AND session_id = :session AND wa_group_id = :group")
        .param("tenant", tenant.value())
        .param("session", sessionId)
        .param("group", group.value())
        .query(UUID.class)
        .optional();
  }

  /** The tenant's monitored groups, oldest first. */
  List<MonitoredGroup> list(TenantId tenant, int limit, int offset) {
    return jdbc.sql(
            "SELECT * FROM leads_monitored_group WHERE tenant_id = :tenant ORDER BY id LIMIT :limit OFFSET :offset")
        .param("tenant", tenant.value())
        .param("limit", limit)
        .param("offset", offset)
        .query(MonitoredGroupRepository::map)
        .list();
  }

  List<MonitoredGroup> all(TenantId tenant) {
    return jdbc.sql("SELECT * FROM leads_monitored_group WHERE tenant_id = :tenant ORDER BY id")
        .param("tenant", tenant.value())
        .query(MonitoredGroupRepository::map)
        .list();
  }

  long count(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM leads_monitored_group WHERE tenant_id = :tenant")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  /** Every tenant's active monitored groups: what detection watches. */
  List<MonitoredGroup> active() {
    return jdbc.sql("SELECT * FROM leads_monitored_group WHERE is_active ORDER BY id")
        .query(MonitoredGroupRepository::map)
        .list();
  }

  /** What the groups' analysed messages since {@code since} show: matches, new leads, keywords. */
  record Produced(long matches, long leadsDetected, Map<String, Long> keywordCounts) {}

  Map<UUID, Produced> producedSince(Collection<UUID> groups, Instant since) {
    Map<UUID, long[]> totals = new HashMap<>();
    Map<UUID, Map<String, Long>> keywords = new HashMap<>();
    if (groups.isEmpty()) {
      return Map.of();
    }
    UUID[] ids = groups.toArray(UUID[]::new);
    jdbc.sql(
            """
            SELECT group_id, count(*) FILTER (WHERE is_match) AS matches, count(*) FILTER (WHERE new_lead) AS leads
              FROM leads_group_message WHERE group_id = ANY(:groups) AND received_at >= :since
             GROUP BY group_id
            """)
        .param("groups", ids)
        .param("since", timestamp(since))
        .query((rs, row) ->
            Map.entry(
                uuid(rs, "group_id"), new long[] {rs.getLong("matches"), rs.getLong("leads")}))
        .list()
        .forEach(e -> totals.put(e.getKey(), e.getValue()));
    jdbc.sql(
            """
            SELECT group_id, keyword, count(*) AS n
              FROM leads_group_message, unnest(matched_keywords) AS keyword
             WHERE group_id = ANY(:groups) AND received_at >= :since AND is_match
             GROUP BY group_id, keyword
             ORDER BY n DESC, keyword
            """)
        .param("groups", ids)
        .param("since", timestamp(since))
        .query((rs, row) ->
            new Object[] {uuid(rs, "group_id"), rs.getString("keyword"), rs.getLong("n")})
        .list()
        .forEach(r ->
            keywords
                .computeIfAbsent((UUID) r[0], g -> new java.util.LinkedHashMap<>())
                .put((String) r[1], (Long) r[2]));
    Map<UUID, Produced> produced = new HashMap<>();
    for (UUID group : groups) {
      long[] t = totals.getOrDefault(group, new long[2]);
      produced.put(group, new Produced(t[0], t[1], keywords.getOrDefault(group, Map.of())));
    }
    return produced;
  }

  /** Analysis rows of these messages of one group, by message id. */
  Map<UUID, GroupIntentClassifier.Analysis> analyses(UUID groupId, Collection<UUID> messageIds) {
    Map<UUID, GroupIntentClassifier.Analysis> found = new HashMap<>();
    if (messageIds.isEmpty()) {
      return found;
    }
    jdbc.sql(
            """
            SELECT message_id, intent, lead_score, confidence, reason FROM leads_group_message
             WHERE group_id = :group AND message_id = ANY(:ids) AND intent IS NOT NULL
            """)
        .param("group", groupId)
        .param("ids", messageIds.toArray(UUID[]::new))
        .query((rs, row) ->
            Map.entry(
                uuid(rs, "message_id"),
                new GroupIntentClassifier.Analysis(
                    GroupIntentClassifier.Intent.of(rs.getString("intent")),
                        rs.getInt("lead_score"),
                    rs.getDouble("confidence"), rs.getString("reason"))))
        .list()
        .forEach(e -> found.put(e.getKey(), e.getValue()));
    return found;
  }

  static MonitoredGroup map(ResultSet rs, int row) throws SQLException {
    return new MonitoredGroup(
        uuid(rs, "id"),
        new TenantId(uuid(rs, "tenant_id")),
        uuid(rs, "session_id"),
        new ChatId(rs.getString("wa_group_id")),
        rs.getString("name"),
        rs.getBoolean("is_active"),
        MonitorMode.of(rs.getString("monitor_mode")),
        new ArrayList<>(strings(rs, "monitor_keywords")),
        new MonitoredGroup.Script(
            rs.getString("monitor_prompt"),
            rs.getBoolean("auto_respond"),
            rs.getString("response_template"),
            rs.getBoolean("auto_label_leads"),
            uuid(rs, "lead_label_id"),
            rs.getString("webhook_url")),
        rs.getLong("messages_processed"),
        rs.getLong("leads_detected"),
        instant(rs, "last_message_at"),
        instant(rs, "monitoring_since"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
