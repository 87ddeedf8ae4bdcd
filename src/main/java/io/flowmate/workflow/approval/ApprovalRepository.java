package io.flowmate.workflow.approval;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableLong;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.ApprovalId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ApprovalRepository {

  private static final TypeReference<Map<String, Object>> SUMMARY = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json = new ObjectMapper();

  ApprovalRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts unless an approval for the same subject exists; returns the stored one either way. */
  public Approval insertIfAbsent(Approval approval) {
    jdbc.sql(
            """
            INSERT INTO workflow_approval (id, tenant_id, kind, subject_id, summary, status,
              requested_at, expires_at)
            VALUES (:id, :tenant, :kind, :subject, CAST(:summary AS jsonb), 'pending', :requestedAt,
              :expiresAt)
            ON CONFLICT (tenant_id, kind, subject_id) DO NOTHING
            """)
        .param("id", approval.id().value())
        .param("tenant", approval.tenantId().value())
        .param("kind", approval.kind())
        .param("subject", approval.subjectId())
        .param("summary", write(approval.summary()))
        .param("requestedAt", timestamp(approval.requestedAt()))
        .param("expiresAt", timestamp(approval.expiresAt()))
        .update();
    return findBySubject(approval.tenantId(), approval.kind(), approval.subjectId()).orElseThrow();
  }

  public Optional<Approval> find(UUID id) {
    return jdbc.sql("SELECT * FROM workflow_approval WHERE id = :id")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  public Optional<Approval> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM workflow_approval WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(this::map)
        .optional();
  }

  Optional<Approval> findBySubject(TenantId tenant, String kind, UUID subjectId) {
    return jdbc.sql(
            "SELECT * FROM workflow_approval WHERE tenant_id = :tenant AND kind = :kind"
                + " AND subject_id = :subject")
        .param("tenant", tenant.value())
        .param("kind", kind)
        .param("subject", subjectId)
        .query(this::map)
        .optional();
  }

  public List<Approval> list(TenantId tenant, ApprovalStatus status, String kind, PageQuery page) {
    return jdbc.sql(
            """
            SELECT * FROM workflow_approval
            WHERE tenant_id = :tenant
              AND (CAST(:status AS text) IS NULL OR status = :status)
              AND (CAST(:kind AS text) IS NULL OR kind = :kind)
            ORDER BY requested_at DESC, id DESC
            LIMIT :limit OFFSET :offset
            """)
        .param("tenant", tenant.value())
        .param("status", status == null ? null : status.value())
        .param("kind", kind)
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query(this::map)
        .list();
  }

  public long count(TenantId tenant, ApprovalStatus status, String kind) {
    return jdbc.sql(
            """
            SELECT count(*) FROM workflow_approval
            WHERE tenant_id = :tenant
              AND (CAST(:status AS text) IS NULL OR status = :status)
              AND (CAST(:kind AS text) IS NULL OR kind = :kind)
            """)
        .param("tenant", tenant.value())
        .param("status", status == null ? null : status.value())
        .param("kind", kind)
        .query(Long.class)
        .single();
  }

  /** Records a decision if none was recorded yet; returns whether this call recorded it. */
  public boolean decide(
      UUID id,
      ApprovalStatus decision,
      String decidedBy,
      String editedText,
      String reason,
      Instant now) {
    return jdbc.sql(
                """
                UPDATE workflow_approval SET status = :status, decided_at = :now,
                  decided_by = :decidedBy, edited_text = :editedText, reason = :reason
                WHERE id = :id AND status = ANY (CAST(:from AS text[]))
                """)
            .param("id", id)
            .param(
                "from",
                decision.reachableFrom().stream().map(ApprovalStatus::value).toArray(String[]::new))
            .param("status", decision.value())
            .param("now", timestamp(now))
            .param("decidedBy", decidedBy)
            .param("editedText", editedText)
            .param("reason", reason)
            .update()
        == 1;
  }

  /**
   * Records the instance Flowmate started for the approval; a user task tracked for another
   * instance is forgotten (it belongs to a lost instance).
   */
  public void attachProcess(UUID id, long processInstanceKey, String epoch) {
    jdbc.sql(
            """
            UPDATE workflow_approval SET process_instance_key = :instance, engine_epoch = :epoch,
              user_task_key = CASE WHEN process_instance_key = :instance AND engine_epoch = :epoch
                THEN user_task_key END
            WHERE id = :id
            """)
        .param("id", id)
        .param("instance", processInstanceKey)
        .param("epoch", epoch)
        .update();
  }

  /**
   * Records the instance's user task, unless another instance of the same epoch tracks the approval
   * already (the one Flowmate started, see {@link #attachProcess}); returns whether it was
   * recorded.
   */
  public boolean attachUserTask(UUID id, long userTaskKey, long processInstanceKey, String epoch) {
    return jdbc.sql(
                """
                UPDATE workflow_approval SET user_task_key = :key, engine_epoch = :epoch,
                  process_instance_key = :instance
                WHERE id = :id AND (engine_epoch IS DISTINCT FROM :epoch
                  OR process_instance_key IS NULL OR process_instance_key = :instance)
                """)
            .param("id", id)
            .param("key", userTaskKey)
            .param("instance", processInstanceKey)
            .param("epoch", epoch)
            .update()
        == 1;
  }

  private Approval map(ResultSet rs, int row) throws SQLException {
    return new Approval(
        ApprovalId.of(uuid(rs, "id")),
        TenantId.of(uuid(rs, "tenant_id")),
        rs.getString("kind"),
        uuid(rs, "subject_id"),
        read(rs.getString("summary")),
        ApprovalStatus.of(rs.getString("status")),
        instant(rs, "requested_at"),
        instant(rs, "expires_at"),
        instant(rs, "decided_at"),
        rs.getString("decided_by"),
        rs.getString("edited_text"),
        rs.getString("reason"),
        nullableLong(rs, "user_task_key"),
        rs.getString("engine_epoch"),
        nullableLong(rs, "process_instance_key"));
  }

  private String write(Map<String, Object> summary) {
    try {
      return json.writeValueAsString(summary);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Approval summary is not JSON-serialisable", e);
    }
  }

  private Map<String, Object> read(String summary) {
    try {
      return json.readValue(summary, SUMMARY);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored approval summary is not JSON", e);
    }
  }
}
