package io.flowmate.analytics.report;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableLong;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.db.ProcessColumns;
import io.flowmate.core.db.ScheduleColumns;
import io.flowmate.core.db.Sql;
import io.flowmate.core.db.TenantRows;
import io.flowmate.core.schedule.ScheduleStatus;
import io.flowmate.core.schedule.ScheduleType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reports and their runs. All SQL on {@code analytics_report} and {@code analytics_report_run}
 * lives here.
 */
@Repository
class ReportRepository {

  private final JdbcClient jdbc;
  private final ProcessColumns processColumns;
  private final TenantRows tenantRows;
  private final ScheduleColumns scheduleColumns;
  private final ObjectMapper json;

  ReportRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.processColumns =
        new ProcessColumns(jdbc, "analytics_report", "status IN ('active', 'paused')");
    this.tenantRows = new TenantRows(jdbc, "analytics_report");
    this.scheduleColumns = new ScheduleColumns(jdbc, "analytics_report");
    this.json = json;
  }

  void insert(Report r, String idempotencyKey, byte[] requestHash) {
    jdbc.sql(
            """
            INSERT INTO analytics_report (id, tenant_id, name, template_id, schedule_type, cron_expression,
              scheduled_time, timezone, delivery_method, delivery_session_id, delivery_chat_id, status,
              next_run_at, engine_epoch, idempotency_key, request_hash, created_at, updated_at)
            VALUES (:id, :tenant, :name, :template, :type, :cron, :scheduledTime, :timezone, :method, :session,
              :chat, :status, :next, :epoch, :key, :hash, :at, :at)
            """)
        .param("id", r.id())
        .param("tenant", r.tenantId().value())
        .param("name", r.name())
        .param("template", r.template().id())
        .param("type", r.scheduleType().value())
        .param("cron", r.cronExpression())
        .param("scheduledTime", r.scheduledTime())
        .param("timezone", r.timezone())
        .param("method", r.delivery().method())
        .param("session", r.delivery().sessionId())
        .param("chat", r.delivery().chatId())
        .param("status", r.status().value())
        .param("next", timestamp(r.nextRunAt()))
        .param("epoch", r.engineEpoch())
        .param("key", idempotencyKey)
        .param("hash", requestHash)
        .param("at", timestamp(r.createdAt()))
        .update();
  }

  /** Serialises creations per tenant until the transaction ends, so that the plan's cap holds. */
  void lockReportsOf(TenantId tenant) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('analytics_report'), hashtext(:tenant))")
        .param("tenant", tenant.value().toString())
        .query((rs, row) -> 1)
        .list();
  }

  Optional<Report> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM analytics_report WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(ReportRepository::map)
        .optional();
  }

  Optional<Report> findById(UUID id) {
    return jdbc.sql("SELECT * FROM analytics_report WHERE id = :id")
        .param("id", id)
        .query(ReportRepository::map)
        .optional();
  }

  /** Reads the report and locks its row until the transaction ends (edits and transitions). */
  Optional<Report> lock(TenantId tenant, UUID id) {
    return jdbc.sql(
            "SELECT * FROM analytics_report WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(ReportRepository::map)
        .optional();
  }

  /** The report an Idempotency-Key created, with the hash of the request that created it. */
  Optional<Map.Entry<Report, byte[]>> findByIdempotencyKey(TenantId tenant, String key) {
    return jdbc.sql(
            "SELECT * FROM analytics_report WHERE tenant_id = :tenant AND idempotency_key = :key")
        .param("tenant", tenant.value())
        .param("key", key)
        .query((rs, row) -> Map.entry(map(rs, row), rs.getBytes("request_hash")))
        .optional();
  }

  List<Report> list(TenantId tenant, ScheduleStatus status, PageQuery page) {
    return tenantRows.list(
        tenant, status == null ? null : status.value(), page, ReportRepository::map);
  }

  long count(TenantId tenant, ScheduleStatus status) {
    return tenantRows.count(tenant, status == null ? null : status.value());
  }

  /** Active and paused reports: what the plan's {@code max_scheduled_reports} counts. */
  long countLive(TenantId tenant) {
    return jdbc.sql(
            "SELECT count(*) FROM analytics_report WHERE tenant_id = :tenant AND status IN ('active', 'paused')")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  /**
   * Writes what an edit, a pause, a resume or a cancel changed (the row is locked by the caller).
   */
  void update(Report r, Instant now) {
    jdbc.sql(
            """
            UPDATE analytics_report SET name = :name, template_id = :template, schedule_type = :type,
              cron_expression = :cron, scheduled_time = :scheduledTime, timezone = :timezone,
              delivery_method = :method, delivery_session_id = :session, delivery_chat_id = :chat,
              status = :status, next_run_at = :next, updated_at = :now
            WHERE id = :id
            """)
        .param("id", r.id())
        .param("name", r.name())
        .param("template", r.template().id())
        .param("type", r.scheduleType().value())
        .param("cron", r.cronExpression())
        .param("scheduledTime", r.scheduledTime())
        .param("timezone", r.timezone())
        .param("method", r.delivery().method())
        .param("session", r.delivery().sessionId())
        .param("chat", r.delivery().chatId())
        .param("status", r.status().value())
        .param("next", timestamp(r.nextRunAt()))
        .param("now", timestamp(now))
        .update();
  }

  /**
   * Moves an active report from the run its process waited for to the next one (null: none left,
   * the report is completed), unless an edit, pause or cancel changed it meanwhile.
   *
   * @param ran whether the occurrence was generated, not merely recorded as missed
   * @return whether the report still waited for {@code occurrence}
   */
  boolean advance(UUID id, Instant occurrence, Instant next, boolean ran, Instant now) {
    return scheduleColumns.advance(id, occurrence, next, ran, now);
  }

  /** Deletes the report and its runs; false if there was none. */
  boolean delete(TenantId tenant, UUID id) {
    return jdbc.sql("DELETE FROM analytics_report WHERE tenant_id = :tenant AND id = :id")
            .param("tenant", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  /** Active and paused reports whose process instance belongs to another engine epoch. */
  List<Report> liveOutside(String epoch, int limit) {
    return processColumns.liveOutside(epoch, limit, ReportRepository::map);
  }

  /** Takes the row over for the epoch, unless another node or thread did first. */
  boolean claimForEpoch(UUID id, String previousEpoch, String epoch) {
    return processColumns.claimForEpoch(id, previousEpoch, epoch);
  }

  void attachProcess(UUID id, Long processInstanceKey, String epoch) {
    processColumns.attach(id, processInstanceKey, epoch);
  }

  /**
   * Stores a run; a scheduled run whose occurrence is stored already, or a manual run whose
   * Idempotency-Key is, is left as it was.
   *
   * @return whether it was stored now
   */
  boolean insertRun(ReportRun run) {
    return jdbc.sql(
                """
                INSERT INTO analytics_report_run (id, report_id, tenant_id, trigger, occurrence, status, template_id,
                  period_start, period_end, content_text, content_json, delivery_method, delivery_session_id,
                  delivery_chat_id, error, idempotency_key, generated_at)
                VALUES (:id, :report, :tenant, :trigger, :occurrence, :status, :template, :start, :end, :text,
                  CAST(:json AS jsonb), :method, :session, :chat, :error, :key, :at)
                ON CONFLICT DO NOTHING
                """)
            .param("id", run.id())
            .param("report", run.reportId())
            .param("tenant", run.tenantId().value())
            .param("trigger", run.trigger())
            .param("occurrence", timestamp(run.occurrence()))
            .param("status", run.status())
            .param("template", run.template().id())
            .param("start", timestamp(run.periodStart()))
            .param("end", timestamp(run.periodEnd()))
            .param("text", run.text())
            .param("json", run.json() == null ? null : run.json().toString())
            .param("method", run.delivery().method())
            .param("session", run.delivery().sessionId())
            .param("chat", run.delivery().chatId())
            .param("error", run.error())
            .param("key", run.idempotencyKey())
            .param("at", timestamp(run.generatedAt()))
            .update()
        == 1;
  }

  /** Records occurrences that were missed, in one statement; ones already recorded are kept. */
  void recordMissed(Report report, Collection<Instant> occurrences, String reason, Instant now) {
    if (occurrences.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO analytics_report_run (id, report_id, tenant_id, trigger, occurrence, status, template_id,
              delivery_method, delivery_session_id, delivery_chat_id, error, generated_at)
            SELECT o.id, :report, :tenant, 'schedule', o.occurrence, 'missed', :template, :method, :session, :chat,
              :reason, :now
            FROM unnest(CAST(:ids AS uuid[]), CAST(:occurrences AS timestamptz[])) AS o(id, occurrence)
            ON CONFLICT DO NOTHING
            """)
        .param("report", report.id())
        .param("tenant", report.tenantId().value())
        .param("template", report.template().id())
        .param("method", report.delivery().method())
        .param("session", report.delivery().sessionId())
        .param("chat", report.delivery().chatId())
        .param("ids", occurrences.stream().map(o -> Ids.newId()).toArray(UUID[]::new))
        .param("occurrences", occurrences.stream().map(Sql::timestampText).toArray(String[]::new))
        .param("reason", reason)
        .param("now", timestamp(now))
        .update();
  }

  Optional<ReportRun> scheduledRun(UUID reportId, Instant occurrence) {
    return jdbc.sql(
            "SELECT * FROM analytics_report_run WHERE report_id = :report AND trigger = 'schedule' AND occurrence = :occurrence")
        .param("report", reportId)
        .param("occurrence", timestamp(occurrence))
        .query(this::mapRun)
        .optional();
  }

  Optional<ReportRun> runByIdempotencyKey(UUID reportId, String key) {
    return jdbc.sql(
            "SELECT * FROM analytics_report_run WHERE report_id = :report AND idempotency_key = :key")
        .param("report", reportId)
        .param("key", key)
        .query(this::mapRun)
        .optional();
  }

  Optional<ReportRun> run(UUID reportId, UUID runId) {
    return jdbc.sql("SELECT * FROM analytics_report_run WHERE report_id = :report AND id = :id")
        .param("report", reportId)
        .param("id", runId)
        .query(this::mapRun)
        .optional();
  }

  /** The report's runs, newest first. */
  List<ReportRun> runs(UUID reportId, int limit, int offset) {
    return jdbc.sql(
            """
            SELECT * FROM analytics_report_run WHERE report_id = :report
            ORDER BY occurrence DESC, id DESC LIMIT :limit OFFSET :offset
            """)
        .param("report", reportId)
        .param("limit", limit)
        .param("offset", offset)
        .query(this::mapRun)
        .list();
  }

  long countRuns(UUID reportId) {
    return jdbc.sql("SELECT count(*) FROM analytics_report_run WHERE report_id = :report")
        .param("report", reportId)
        .query(Long.class)
        .single();
  }

  private static Report map(ResultSet rs, int row) throws SQLException {
    return new Report(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        rs.getString("name"),
        ReportTemplate.of(rs.getString("template_id")),
        ScheduleType.parse("schedule_type", rs.getString("schedule_type")),
        rs.getString("cron_expression"),
        rs.getObject("scheduled_time", LocalDateTime.class),
        rs.getString("timezone"),
        new Report.Delivery(
            rs.getString("delivery_method"),
            uuid(rs, "delivery_session_id"),
            rs.getString("delivery_chat_id")),
        ScheduleStatus.of(rs.getString("status")),
        instant(rs, "next_run_at"),
        instant(rs, "last_run_at"),
        rs.getInt("run_count"),
        nullableLong(rs, "process_instance_key"),
        rs.getString("engine_epoch"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private ReportRun mapRun(ResultSet rs, int row) throws SQLException {
    String content = rs.getString("content_json");
    JsonNode node;
    try {
      node = content == null ? null : json.readTree(content);
    } catch (JsonProcessingException e) {
      throw new SQLException("content_json of run " + rs.getString("id") + " is not JSON", e);
    }
    return new ReportRun(
        uuid(rs, "id"),
        uuid(rs, "report_id"),
        TenantId.of(uuid(rs, "tenant_id")),
        rs.getString("trigger"),
        instant(rs, "occurrence"),
        rs.getString("status"),
        ReportTemplate.of(rs.getString("template_id")),
        instant(rs, "period_start"),
        instant(rs, "period_end"),
        rs.getString("content_text"),
        node,
        new Report.Delivery(
            rs.getString("delivery_method"),
            uuid(rs, "delivery_session_id"),
            rs.getString("delivery_chat_id")),
        rs.getString("error"),
        rs.getString("idempotency_key"),
        instant(rs, "generated_at"));
  }
}
