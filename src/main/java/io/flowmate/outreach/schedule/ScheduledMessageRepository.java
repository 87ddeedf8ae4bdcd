package io.flowmate.outreach.schedule;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableLong;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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

@Repository
class ScheduledMessageRepository {

  private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ProcessColumns processColumns;
  private final TenantRows tenantRows;
  private final ScheduleColumns scheduleColumns;
  private final ObjectMapper json;

  ScheduledMessageRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.processColumns =
        new ProcessColumns(jdbc, "outreach_scheduled_message", "status IN ('active', 'paused')");
    this.tenantRows = new TenantRows(jdbc, "outreach_scheduled_message");
    this.scheduleColumns = new ScheduleColumns(jdbc, "outreach_scheduled_message");
    this.json = json;
  }

  void insert(ScheduledMessage s) {
    jdbc.sql(
            """
            INSERT INTO outreach_scheduled_message (id, tenant_id, name, session_id, chat_id, custom_group_id,
              member_filter, schedule_type, cron_expression, scheduled_time, timezone, message_type,
              message_content, media_url, status, next_run_at, engine_epoch, created_at, updated_at)
            VALUES (:id, :tenant, :name, :session, :chat, :group, CAST(:filter AS jsonb), :type, :cron,
              :scheduledTime, :timezone, :messageType, :content, :media, :status, :next, :epoch, :at, :at)
            """)
        .param("id", s.id())
        .param("tenant", s.tenantId().value())
        .param("name", s.name())
        .param("session", s.sessionId())
        .param("chat", s.chatId())
        .param("group", s.customGroupId())
        .param("filter", write(s.memberFilter()))
        .param("type", s.scheduleType().value())
        .param("cron", s.cronExpression())
        .param("scheduledTime", s.scheduledTime())
        .param("timezone", s.timezone())
        .param("messageType", s.messageType())
        .param("content", s.messageContent())
        .param("media", s.mediaUrl())
        .param("status", s.status().value())
        .param("next", timestamp(s.nextRunAt()))
        .param("epoch", s.engineEpoch())
        .param("at", timestamp(s.createdAt()))
        .update();
  }

  Optional<ScheduledMessage> find(TenantId tenant, UUID id) {
    return jdbc.sql(
            "SELECT * FROM outreach_scheduled_message WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(this::map)
        .optional();
  }

  Optional<ScheduledMessage> findById(UUID id) {
    return jdbc.sql("SELECT * FROM outreach_scheduled_message WHERE id = :id")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  /** Reads the schedule and locks its row until the transaction ends (edits and transitions). */
  Optional<ScheduledMessage> lock(TenantId tenant, UUID id) {
    return jdbc.sql(
            "SELECT * FROM outreach_scheduled_message WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(this::map)
        .optional();
  }

  List<ScheduledMessage> list(TenantId tenant, ScheduleStatus status, PageQuery page) {
    return tenantRows.list(tenant, status == null ? null : status.value(), page, this::map);
  }

  long count(TenantId tenant, ScheduleStatus status) {
    return tenantRows.count(tenant, status == null ? null : status.value());
  }

  /**
   * Writes what an edit, a pause, a resume or a cancel changed (the row is locked by the caller).
   */
  void update(ScheduledMessage s, Instant now) {
    jdbc.sql(
            """
            UPDATE outreach_scheduled_message SET name = :name, message_content = :content,
              scheduled_time = :scheduledTime, cron_expression = :cron, timezone = :timezone,
              status = :status, next_run_at = :next, updated_at = :now
            WHERE id = :id
            """)
        .param("id", s.id())
        .param("name", s.name())
        .param("content", s.messageContent())
        .param("scheduledTime", s.scheduledTime())
        .param("cron", s.cronExpression())
        .param("timezone", s.timezone())
        .param("status", s.status().value())
        .param("next", timestamp(s.nextRunAt()))
        .param("now", timestamp(now))
        .update();
  }

  /**
   * Moves an active schedule from the occurrence its process waited for to the next one (null: none
   * left, the schedule is completed), unless an edit, pause or cancel changed it meanwhile.
   *
   * @param ran whether the occurrence was run (executed or failed), not merely skipped as missed
   * @return whether the schedule still waited for {@code occurrence}
   */
  boolean advance(UUID id, Instant occurrence, Instant next, boolean ran, Instant now) {
    return scheduleColumns.advance(id, occurrence, next, ran, now);
  }

  /** Deletes a finished schedule (its history goes with it); false if it is not finished. */
  boolean deleteFinished(TenantId tenant, UUID id) {
    return jdbc.sql(
                """
                DELETE FROM outreach_scheduled_message
                WHERE tenant_id = :tenant AND id = :id AND status IN ('cancelled', 'completed')
                """)
            .param("tenant", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  /** Active and paused schedules whose process instance belongs to another engine epoch. */
  List<ScheduledMessage> liveOutside(String epoch, int limit) {
    return processColumns.liveOutside(epoch, limit, this::map);
  }

  /** Takes the row over for the epoch, unless another node or thread did first. */
  boolean claimForEpoch(UUID id, String previousEpoch, String epoch) {
    return processColumns.claimForEpoch(id, previousEpoch, epoch);
  }

  void attachProcess(UUID id, Long processInstanceKey, String epoch) {
    processColumns.attach(id, processInstanceKey, epoch);
  }

  /**
   * Records an occurrence; run again for the same occurrence (a retried job), it keeps one row with
   * the retry's figures, which count the messages the first attempt queued too (same keys).
   */
  void recordExecution(ScheduledExecution e) {
    jdbc.sql(
            """
            INSERT INTO outreach_scheduled_execution (id, schedule_id, occurrence, status, recipients,
              queued_count, error, executed_at)
            VALUES (:id, :schedule, :occurrence, :status, :recipients, :queued, :error, :at)
            ON CONFLICT (schedule_id, occurrence) DO UPDATE SET status = EXCLUDED.status,
              recipients = EXCLUDED.recipients,
              queued_count = EXCLUDED.queued_count,
              error = EXCLUDED.error, executed_at = EXCLUDED.executed_at
            """)
        .param("id", e.id())
        .param("schedule", e.scheduleId())
        .param("occurrence", timestamp(e.occurrence()))
        .param("status", e.status())
        .param("recipients", e.recipients())
        .param("queued", e.queuedCount())
        .param("error", e.error())
        .param("at", timestamp(e.executedAt()))
        .update();
  }

  /** Records occurrences that were missed, in one statement; ones already recorded are kept. */
  void recordMissed(UUID scheduleId, Collection<Instant> occurrences, String reason, Instant now) {
    if (occurrences.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO outreach_scheduled_execution (id, schedule_id, occurrence, status, error, executed_at)
            SELECT o.id, :schedule, o.occurrence, 'missed', :reason, :now
            FROM unnest(CAST(:ids AS uuid[]), CAST(:occurrences AS timestamptz[])) AS o(id, occurrence)
            ON CONFLICT (schedule_id, occurrence) DO NOTHING
            """)
        .param("schedule", scheduleId)
        .param("ids", occurrences.stream().map(o -> Ids.newId()).toArray(UUID[]::new))
        .param("occurrences", occurrences.stream().map(Sql::timestampText).toArray(String[]::new))
        .param("reason", reason)
        .param("now", timestamp(now))
        .update();
  }

  /** The schedule's occurrences, newest first. */
  List<ScheduledExecution> history(UUID scheduleId, int limit, int offset) {
    return jdbc.sql(
            """
            SELECT * FROM outreach_scheduled_execution WHERE schedule_id = :schedule
            ORDER BY occurrence DESC LIMIT :limit OFFSET :offset
            """)
        .param("schedule", scheduleId)
        .param("limit", limit)
        .param("offset", offset)
        .query((rs, row) ->
            new ScheduledExecution(
                uuid(rs, "id"),
                uuid(rs, "schedule_id"),
                instant(rs, "occurrence"),
                rs.getString("status"),
                rs.getInt("recipients"),
                rs.getInt("queued_count"),
                rs.getString("error"),
                instant(rs, "executed_at")))
        .list();
  }

  long countHistory(UUID scheduleId) {
    return jdbc.sql(
            "SELECT count(*) FROM outreach_scheduled_execution WHERE schedule_id = :schedule")
        .param("schedule", scheduleId)
        .query(Long.class)
        .single();
  }

  private String write(Map<String, String> fields) {
    try {
      return json.writeValueAsString(fields == null ? Map.of() : fields);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ScheduledMessage map(ResultSet rs, int row) throws SQLException {
    Map<String, String> filter;
    try {
      filter = json.readValue(rs.getString("member_filter"), FIELDS);
    } catch (JsonProcessingException e) {
      throw new SQLException(
          "member_filter of schedule " + rs.getString("id") + " is not an object of strings", e);
    }
    return new ScheduledMessage(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        rs.getString("name"),
        uuid(rs, "session_id"),
        rs.getString("chat_id"),
        uuid(rs, "custom_group_id"),
        filter,
        ScheduleType.parse("schedule_type", rs.getString("schedule_type")),
        rs.getString("cron_expression"),
        rs.getObject("scheduled_time", LocalDateTime.class),
        rs.getString("timezone"),
        rs.getString("message_type"),
        rs.getString("message_content"),
        rs.getString("media_url"),
        ScheduleStatus.of(rs.getString("status")),
        instant(rs, "next_run_at"),
        instant(rs, "last_run_at"),
        rs.getInt("run_count"),
        nullableLong(rs, "process_instance_key"),
        rs.getString("engine_epoch"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
