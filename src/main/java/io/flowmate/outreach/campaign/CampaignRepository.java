package io.flowmate.outreach.campaign;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableLong;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.db.ProcessColumns;
import io.flowmate.core.db.TenantRows;
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

@Repository
public class CampaignRepository {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ProcessColumns processColumns;
  private final TenantRows tenantRows;
  private final ObjectMapper json;

  CampaignRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.processColumns =
        new ProcessColumns(jdbc, "outreach_campaign", "status IN ('pending', 'running', 'paused')");
    this.tenantRows = new TenantRows(jdbc, "outreach_campaign");
    this.json = json;
  }

  void insert(Campaign c, String idempotencyKey, byte[] requestHash) {
    jdbc.sql(
            """
            INSERT INTO outreach_campaign (id, tenant_id, session_id, custom_group_id, name, message_type,
              message_content, media_url, variants, member_filter, delay_min_seconds, delay_max_seconds,
              status, total_recipients, approval_id, idempotency_key, request_hash, engine_epoch, created_at,
              updated_at)
            VALUES (:id, :tenant, :session, :group, :name, :type, :content, :media, CAST(:variants AS jsonb),
              CAST(:filter AS jsonb), :delayMin, :delayMax, :status, :total, :approval, :key, :hash, :epoch, :at, :at)
            """)
        .param("id", c.id())
        .param("tenant", c.tenantId().value())
        .param("session", c.sessionId())
        .param("group", c.customGroupId())
        .param("name", c.name())
        .param("type", c.messageType())
        .param("content", c.messageContent())
        .param("media", c.mediaUrl())
        .param("variants", write(c.variants()))
        .param("filter", write(c.memberFilter()))
        .param("delayMin", (int) c.delayMin().toSeconds())
        .param("delayMax", (int) c.delayMax().toSeconds())
        .param("status", c.status().value())
        .param("total", c.totalRecipients())
        .param("approval", c.approvalId())
        .param("key", idempotencyKey)
        .param("hash", requestHash)
        .param("epoch", c.engineEpoch())
        .param("at", timestamp(c.createdAt()))
        .update();
  }

  public Optional<Campaign> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM outreach_campaign WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(this::map)
        .optional();
  }

  Optional<Campaign> findById(UUID id) {
    return jdbc.sql("SELECT * FROM outreach_campaign WHERE id = :id")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  /** The campaign, locked until the transaction ends: planning and status changes take turns. */
  Optional<Campaign> lock(UUID id) {
    return jdbc.sql("SELECT * FROM outreach_campaign WHERE id = :id FOR UPDATE")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  /** An earlier campaign created with the same Idempotency-Key, and the hash of its request. */
  Optional<Map.Entry<Campaign, byte[]>> findByIdempotencyKey(TenantId tenant, String key) {
    return jdbc.sql(
            "SELECT * FROM outreach_campaign WHERE tenant_id = :tenant AND idempotency_key = :key")
        .param("tenant", tenant.value())
        .param("key", key)
        .query((rs, row) -> Map.entry(map(rs, row), rs.getBytes("request_hash")))
        .optional();
  }

  List<Campaign> list(TenantId tenant, CampaignStatus status, PageQuery page) {
    return tenantRows.list(tenant, status == null ? null : status.value(), page, this::map);
  }

  long count(TenantId tenant, CampaignStatus status) {
    return tenantRows.count(tenant, status == null ? null : status.value());
  }

  /**
   * Carries out the move if the campaign's status allows it.
   *
   * @return whether it moved
   */
  boolean move(UUID id, CampaignStatus.Move move, String reason, Instant now) {
    return jdbc.sql(
                """
                UPDATE outreach_campaign SET status = :to, status_reason = :reason, updated_at = :now,
                  started_at = CASE WHEN CAST(:to AS text) = 'running'
                    THEN COALESCE(started_at, CAST(:now AS timestamptz)) ELSE started_at END,
                  finished_at = CASE WHEN CAST(:to AS text) IN ('completed', 'cancelled', 'failed')
                    THEN CAST(:now AS timestamptz) END
                WHERE id = :id AND status = ANY (CAST(:from AS text[]))
                """)
            .param("id", id)
            .param("from", move.from().stream().map(CampaignStatus::value).toArray(String[]::new))
            .param("to", move.to().value())
            .param("reason", reason)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  void recordPlanned(UUID id, UUID cursor, int planned, boolean allPlanned, Instant now) {
    jdbc.sql(
            """
            UPDATE outreach_campaign SET plan_cursor = COALESCE(:cursor, plan_cursor),
              planned_count = planned_count + :planned, all_planned = :all, updated_at = :now
            WHERE id = :id
            """)
        .param("id", id)
        .param("cursor", cursor)
        .param("planned", planned)
        .param("all", allPlanned)
        .param("now", timestamp(now))
        .update();
  }

  void recordAudience(UUID id, int totalRecipients, Instant now) {
    jdbc.sql(
            "UPDATE outreach_campaign SET total_recipients = :total, updated_at = :now WHERE id = :id")
        .param("id", id)
        .param("total", totalRecipients)
        .param("now", timestamp(now))
        .update();
  }

  void replaceContent(UUID id, String content, Instant now) {
    jdbc.sql(
            "UPDATE outreach_campaign SET message_content = :content, variants = '[]', updated_at = :now"
                + " WHERE id = :id")
        .param("id", id)
        .param("content", content)
        .param("now", timestamp(now))
        .update();
  }

  void attachProcess(UUID id, Long processInstanceKey, String epoch) {
    processColumns.attach(id, processInstanceKey, epoch);
  }

  /** Unfinished campaigns whose process instance belongs to another engine state (or none). */
  List<Campaign> liveOutside(String epoch, int limit) {
    return processColumns.liveOutside(epoch, limit, this::map);
  }

  /** Takes the row over for the epoch, unless another node or thread did first. */
  boolean claimForEpoch(UUID id, String previousEpoch, String epoch) {
    return processColumns.claimForEpoch(id, previousEpoch, epoch);
  }

  /** Running campaigns with every recipient planned: candidates for completion. */
  List<Campaign> runningFullyPlanned() {
    return jdbc.sql("SELECT * FROM outreach_campaign WHERE status = 'running' AND all_planned")
        .query(this::map)
        .list();
  }

  List<Campaign> findAll(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("SELECT * FROM outreach_campaign WHERE id = ANY (CAST(:ids AS uuid[]))")
        .param("ids", ids.toArray(UUID[]::new))
        .query(this::map)
        .list();
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private Campaign map(ResultSet rs, int row) throws SQLException {
    try {
      return new Campaign(
          uuid(rs, "id"),
          TenantId.of(uuid(rs, "tenant_id")),
          uuid(rs, "session_id"),
          uuid(rs, "custom_group_id"),
          rs.getString("name"),
          rs.getString("message_type"),
          rs.getString("message_content"),
          rs.getString("media_url"),
          json.readValue(rs.getString("variants"), STRINGS),
          json.readValue(rs.getString("member_filter"), FIELDS),
          Duration.ofSeconds(rs.getInt("delay_min_seconds")),
          Duration.ofSeconds(rs.getInt("delay_max_seconds")),
          CampaignStatus.of(rs.getString("status")),
          rs.getString("status_reason"),
          rs.getInt("total_recipients"),
          rs.getInt("planned_count"),
          uuid(rs, "plan_cursor"),
          rs.getBoolean("all_planned"),
          uuid(rs, "approval_id"),
          nullableLong(rs, "process_instance_key"),
          rs.getString("engine_epoch"),
          instant(rs, "created_at"),
          instant(rs, "updated_at"),
          instant(rs, "started_at"),
          instant(rs, "finished_at"));
    } catch (JsonProcessingException e) {
      throw new SQLException("campaign " + rs.getString("id") + " has unreadable JSON", e);
    }
  }
}
