package io.flowmate.outreach.followup;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableLong;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.timestampText;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.IllegalTransitionException;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.db.ProcessColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** One contact's follow-ups. All SQL on {@code outreach_follow_up} lives here. */
@Repository
class FollowUpRepository {

  private final JdbcClient jdbc;
  private final ProcessColumns processColumns;

  FollowUpRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
    this.processColumns = new ProcessColumns(jdbc, "outreach_follow_up", "status = 'waiting'");
  }

  /**
   * Inserts new waiting follow-ups in one statement, skipping those whose contact already has one
   * waiting under the rule and those whose trigger message started one before (a sweep that
   * examines a message twice starts nothing twice).
   *
   * @return the follow-ups inserted
   */
  List<FollowUp> insertWaiting(List<FollowUp> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            INSERT INTO outreach_follow_up (id, tenant_id, rule_id, session_id, chat_id,
              trigger_message_id, waiting_since, round, max_rounds, due_at, status, engine_epoch,
              created_at, updated_at)
            SELECT id, tenant, rule, session, chat, trigger, since, 0, max_rounds, due, 'waiting',
              epoch, at, at
            FROM unnest(CAST(:ids AS uuid[]), CAST(:tenants AS uuid[]), CAST(:rules AS uuid[]),
              CAST(:sessions AS uuid[]), CAST(:chats AS text[]), CAST(:triggers AS uuid[]),
              CAST(:sinces AS timestamptz[]), CAST(:maxRounds AS integer[]), CAST(:dues AS timestamptz[]),
              CAST(:epochs AS text[]), CAST(:ats AS timestamptz[]))
              AS f(id, tenant, rule, session, chat, trigger, since, max_rounds, due, epoch, at)
            ON CONFLICT DO NOTHING
            RETURNING *
            """)
        .param("ids", column(rows, FollowUp::id, UUID[]::new))
        .param("tenants", column(rows, f -> f.tenantId().value(), UUID[]::new))
        .param("rules", column(rows, FollowUp::ruleId, UUID[]::new))
        .param("sessions", column(rows, FollowUp::sessionId, UUID[]::new))
        .param("chats", column(rows, f -> f.chat().value(), String[]::new))
        .param("triggers", column(rows, FollowUp::triggerMessageId, UUID[]::new))
        .param("sinces", column(rows, f -> timestampText(f.waitingSince()), String[]::new))
        .param("maxRounds", column(rows, FollowUp::maxRounds, Integer[]::new))
        .param("dues", column(rows, f -> timestampText(f.dueAt()), String[]::new))
        .param("epochs", column(rows, FollowUp::engineEpoch, String[]::new))
        .param("ats", column(rows, f -> timestampText(f.createdAt()), String[]::new))
        .query(this::map)
        .list();
  }

  /**
   * The follow-up, locked until the transaction ends: its steps and its cancellation take turns.
   */
  Optional<FollowUp> findForUpdate(UUID id) {
    return jdbc.sql("SELECT * FROM outreach_follow_up WHERE id = :id FOR UPDATE")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  /** A rule's follow-ups, newest first, optionally of one status. */
  List<FollowUp> ofRule(UUID ruleId, FollowUpStatus status, PageQuery page) {
    return jdbc.sql(
            """
            SELECT * FROM outreach_follow_up
            WHERE rule_id = :rule AND (CAST(:status AS text) IS NULL OR status = :status)
            ORDER BY id DESC LIMIT :limit OFFSET :offset
            """)
        .param("rule", ruleId)
        .param("status", status == null ? null : status.value())
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query(this::map)
        .list();
  }

  long countOfRule(UUID ruleId, FollowUpStatus status) {
    return jdbc.sql(
            """
            SELECT count(*) FROM outreach_follow_up
            WHERE rule_id = :rule AND (CAST(:status AS text) IS NULL OR status = :status)
            """)
        .param("rule", ruleId)
        .param("status", status == null ? null : status.value())
        .query(Long.class)
        .single();
  }

  /** The rules' follow-ups counted by status, every status present (zero if none). */
  Map<UUID, Map<FollowUpStatus, Long>> countsByStatus(Collection<UUID> ruleIds) {
    Map<UUID, Map<FollowUpStatus, Long>> counts = new HashMap<>();
    for (UUID ruleId : ruleIds) {
      Map<FollowUpStatus, Long> zero = new EnumMap<>(FollowUpStatus.class);
      for (FollowUpStatus status : FollowUpStatus.values()) {
        zero.put(status, 0L);
      }
      counts.put(ruleId, zero);
    }
    if (ruleIds.isEmpty()) {
      return counts;
    }
    jdbc.sql(
            """
            SELECT rule_id, status, count(*) AS n FROM outreach_follow_up
            WHERE rule_id = ANY (CAST(:rules AS uuid[])) GROUP BY rule_id, status
            """)
        .param("rules", ruleIds.toArray(UUID[]::new))
        .query(rs -> {
          counts
              .get(uuid(rs, "rule_id"))
              .put(FollowUpStatus.of(rs.getString("status")), rs.getLong("n"));
        });
    return counts;
  }

  /**
   * Records that round {@code round} was queued and when the next one is due (null: none). A
   * repeated call for the same round changes nothing.
   */
  boolean recordRound(UUID id, int round, Instant nextDueAt, Instant now) {
    return jdbc.sql(
                """
                UPDATE outreach_follow_up SET round = :round, due_at = :due, updated_at = :now
                WHERE id = :id AND status = 'waiting' AND round < :round
                """)
            .param("id", id)
            .param("round", round)
            .param("due", timestamp(nextDueAt))
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /** Ends a waiting follow-up; false if it had ended already. */
  boolean end(UUID id, FollowUpStatus status, String reason, Instant now) {
    return jdbc.sql(
                """
                UPDATE outreach_follow_up SET status = :status, status_reason = :reason, due_at = NULL,
                  ended_at = :now, updated_at = :now
                WHERE id = :id AND status = ANY (CAST(:from AS text[]))
                """)
            .param("id", id)
            .param("from", from(status))
            .param("status", status.value())
            .param("reason", reason)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  /** Cancels every waiting follow-up of the rule, with the reason. */
  List<FollowUp> cancelWaiting(UUID ruleId, String reason, Instant now) {
    return jdbc.sql(
            """
            UPDATE outreach_follow_up SET status = 'cancelled', status_reason = :reason, due_at = NULL,
              ended_at = :now, updated_at = :now
            WHERE rule_id = :rule AND status = ANY (CAST(:from AS text[]))
            RETURNING *
            """)
        .param("rule", ruleId)
        .param("from", from(FollowUpStatus.CANCELLED))
        .param("reason", reason)
        .param("now", timestamp(now))
        .query(this::map)
        .list();
  }

  /**
   * The statuses a follow-up may reach {@code to} from, as SQL text; none is a programming error.
   */
  private static String[] from(FollowUpStatus to) {
    if (to.reachableFrom().isEmpty()) {
      throw new IllegalTransitionException("A follow-up cannot move to " + to.value());
    }
    return to.reachableFrom().stream().map(FollowUpStatus::value).toArray(String[]::new);
  }

  /** A reply: who wrote ({@code <phone>@c.us} on a number) and when. */
  record Reply(UUID sessionId, ChatId chat, Instant at) {}

  /** The waiting follow-ups these replies concern: same number and chat, written after it began. */
  List<FollowUp> waitingFor(List<Reply> replies) {
    if (replies.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            SELECT DISTINCT f.* FROM outreach_follow_up f
            JOIN unnest(CAST(:sessions AS uuid[]), CAST(:chats AS text[]), CAST(:ats AS timestamptz[]))
              AS r(session_id, chat_id, at)
              ON f.session_id = r.session_id AND f.chat_id = r.chat_id
            WHERE f.status = 'waiting' AND r.at > f.waiting_since
            """)
        .param("sessions", replies.stream().map(Reply::sessionId).toArray(UUID[]::new))
        .param("chats", replies.stream().map(r -> r.chat().value()).toArray(String[]::new))
        .param("ats", replies.stream().map(r -> timestampText(r.at())).toArray(String[]::new))
        .query(this::map)
        .list();
  }

  /** Waiting follow-ups whose process instance is not in the current engine. */
  List<FollowUp> waitingOutside(String epoch, int limit) {
    return processColumns.liveOutside(epoch, limit, this::map);
  }

  /** Takes the row over for the epoch, unless another node or thread did first. */
  boolean claimForEpoch(UUID id, String previousEpoch, String epoch) {
    return processColumns.claimForEpoch(id, previousEpoch, epoch);
  }

  void attachProcess(UUID id, Long processInstanceKey, String epoch) {
    processColumns.attach(id, processInstanceKey, epoch);
  }

  private static <T> T[] column(
      List<FollowUp> rows, Function<FollowUp, T> value, IntFunction<T[]> array) {
    return rows.stream().map(value).toArray(array);
  }

  private FollowUp map(ResultSet rs, int row) throws SQLException {
    return new FollowUp(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        uuid(rs, "rule_id"),
        uuid(rs, "session_id"),
        new ChatId(rs.getString("chat_id")),
        uuid(rs, "trigger_message_id"),
        instant(rs, "waiting_since"),
        rs.getInt("round"),
        rs.getInt("max_rounds"),
        instant(rs, "due_at"),
        FollowUpStatus.of(rs.getString("status")),
        rs.getString("status_reason"),
        nullableLong(rs, "process_instance_key"),
        rs.getString("engine_epoch"),
        instant(rs, "created_at"),
        instant(rs, "ended_at"));
  }
}
