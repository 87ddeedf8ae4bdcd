package io.flowmate.gateway.liveness;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.TenantId;
import io.flowmate.gateway.SessionStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The liveness columns of {@code gateway_session} and the restart history ({@code
 * gateway_session_restart}). Every move that only one instance may make (probe, restart, report,
 * recover) is a conditional UPDATE that tells whether this instance won it.
 */
@Repository
class LivenessRepository {

  /** One row of the restart history. */
  record RestartRow(
      UUID id,
      UUID sessionId,
      Instant restartedAt,
      RestartCause cause,
      String reason,
      String outcome,
      String failure,
      Instant settledAt) {}

  static final String AWAITING_ACTIVITY = "awaiting_activity";
  static final String RECOVERED = "recovered";
  static final String NO_EFFECT = "no_effect";
  static final String FAILED = "failed";

  private final JdbcClient jdbc;

  LivenessRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Moves each session's last event forward (never back: instances flush in any order). */
  void recordLastEvents(Map<UUID, Instant> seen) {
    seen.forEach((session, at) ->
        jdbc.sql(
                """
                UPDATE gateway_session SET last_event_at = :at
                WHERE id = :id AND (last_event_at IS NULL OR last_event_at < :at)
                """)
            .param("id", session)
            .param("at", timestamp(at))
            .update());
  }

  /**
   * The sessions to check now: those that should run and work, and those restarted by the watchdog
   * that have not come back yet; none whose restart is under way.
   */
  List<Pulse> pulses(Instant now) {
    return jdbc.sql(
            """
            SELECT s.id, s.tenant_id, s.phone_number, s.status, s.status_changed_at, s.last_event_at,
              s.last_restart_at, s.restarts_in_a_row, s.unhealthy_since, s.restarting_until,
              s.probe_failures,
              (SELECT r.cause FROM gateway_session_restart r WHERE r.session_id = s.id
                ORDER BY r.restarted_at DESC LIMIT 1) AS last_restart_cause
            FROM gateway_session s
            WHERE s.desired_state = 'running'
              AND (s.status = 'working' OR (s.restarts_in_a_row > 0 AND s.status IN ('starting', 'failed')))
              AND (s.restarting_until IS NULL OR s.restarting_until <= :now)
            ORDER BY s.id
            """)
        .param("now", timestamp(now))
        .query(LivenessRepository::pulse)
        .list();
  }

  /** Claims the session's probe for this instance, if none was made since {@code due}. */
  boolean claimProbe(UUID session, Instant now, Instant due) {
    return jdbc.sql(
                """
                UPDATE gateway_session SET probed_at = :now
                WHERE id = :id AND (probed_at IS NULL OR probed_at <= :due)
                """)
            .param("id", session)
            .param("now", timestamp(now))
            .param("due", timestamp(due))
            .update()
        == 1;
  }

  /** Records a probe's answer; returns the failed probes in a row, this one included. */
  int recordProbe(UUID session, boolean connected) {
    return jdbc.sql(
            """
            UPDATE gateway_session
            SET probe_failures = CASE WHEN :connected THEN 0 ELSE probe_failures + 1 END
            WHERE id = :id RETURNING probe_failures
            """)
        .param("id", session)
        .param("connected", connected)
        .query(Integer.class)
        .optional()
        .orElse(0);
  }

  /**
   * Claims the restart: only if no restart is under way and nobody else restarted, recovered or
   * reported the session since this instance read it ({@code restarts_in_a_row} unchanged). Leaves
   * the session alone until {@code until}, and asks for a probe right after.
   */
  boolean claimRestart(UUID session, int restartsInARow, Instant now, Instant until) {
    return jdbc.sql(
                """
                UPDATE gateway_session
                SET restarting_until = :until, last_restart_at = :now,
                  restarts_in_a_row = restarts_in_a_row + 1, probe_failures = 0, probed_at = NULL
                WHERE id = :id AND restarts_in_a_row = :inARow
                  AND (restarting_until IS NULL OR restarting_until <= :now)
                """)
            .param("id", session)
            .param("inARow", restartsInARow)
            .param("now", timestamp(now))
            .param("until", timestamp(until))
            .update()
        == 1;
  }

  /** The session showed life after its restarts; true for the one instance that saw it first. */
  boolean recover(UUID session, int restartsInARow) {
    return jdbc.sql(
                """
                UPDATE gateway_session SET restarts_in_a_row = 0, unhealthy_since = NULL
                WHERE id = :id AND restarts_in_a_row = :inARow AND restarts_in_a_row > 0
                """)
            .param("id", session)
            .param("inARow", restartsInARow)
            .update()
        == 1;
  }

  /** Marks the session unhealthy; true for the one instance that reports it. */
  boolean reportUnhealthy(UUID session, int restartsInARow, Instant now) {
    return jdbc.sql(
                """
                UPDATE gateway_session SET unhealthy_since = :now
                WHERE id = :id AND unhealthy_since IS NULL AND restarts_in_a_row = :inARow
                """)
            .param("id", session)
            .param("inARow", restartsInARow)
            .param("now", timestamp(now))
            .update()
        == 1;
  }

  void insertRestart(
      UUID id,
      UUID session,
      TenantId tenant,
      Instant restartedAt,
      RestartCause cause,
      String reason) {
    jdbc.sql(
            """
            INSERT INTO gateway_session_restart (id, session_id, tenant_id, restarted_at, cause,
              reason, outcome)
            VALUES (:id, :session, :tenant, :at, :cause, :reason, 'awaiting_activity')
            """)
        .param("id", id)
        .param("session", session)
        .param("tenant", tenant.value())
        .param("at", timestamp(restartedAt))
        .param("cause", cause.value())
        .param("reason", reason)
        .update();
  }

  void failRestart(UUID id, String failure, Instant now) {
    jdbc.sql(
            """
            UPDATE gateway_session_restart SET outcome = 'failed', failure = :failure, settled_at = :now
            WHERE id = :id
            """)
        .param("id", id)
        .param("failure", failure)
        .param("now", timestamp(now))
        .update();
  }

  /** Settles the session's restart that still awaits activity as recovered or without effect. */
  void settleAwaiting(UUID session, String outcome, Instant now) {
    jdbc.sql(
            """
            UPDATE gateway_session_restart SET outcome = :outcome, settled_at = :now
            WHERE session_id = :session AND outcome = 'awaiting_activity'
            """)
        .param("session", session)
        .param("outcome", outcome)
        .param("now", timestamp(now))
        .update();
  }

  List<RestartRow> restarts(UUID session, int limit, int offset) {
    return jdbc.sql(
            """
            SELECT * FROM gateway_session_restart WHERE session_id = :session
            ORDER BY restarted_at DESC, id DESC LIMIT :limit OFFSET :offset
            """)
        .param("session", session)
        .param("limit", limit)
        .param("offset", offset)
        .query(LivenessRepository::restart)
        .list();
  }

  long countRestarts(UUID session) {
    return jdbc.sql("SELECT count(*) FROM gateway_session_restart WHERE session_id = :session")
        .param("session", session)
        .query(Long.class)
        .single();
  }

  Optional<RestartRow> latestRestart(UUID session) {
    return restarts(session, 1, 0).stream().findFirst();
  }

  /** The latest restart of each of these sessions that had one. */
  Map<UUID, RestartRow> latestRestarts(Collection<UUID> sessions) {
    Map<UUID, RestartRow> latest = new HashMap<>();
    if (sessions.isEmpty()) {
      return latest;
    }
    jdbc.sql(
            """
            SELECT DISTINCT ON (session_id) * FROM gateway_session_restart
            WHERE session_id = ANY (CAST(:sessions AS uuid[]))
            ORDER BY session_id, restarted_at DESC, id DESC
            """)
        .param("sessions", sessions.toArray(UUID[]::new))
        .query(LivenessRepository::restart)
        .list()
        .forEach(row -> latest.put(row.sessionId(), row));
    return latest;
  }

  private static Pulse pulse(ResultSet rs, int row) throws SQLException {
    return new Pulse(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        rs.getString("phone_number"),
        SessionStatus.of(rs.getString("status")),
        instant(rs, "status_changed_at"),
        instant(rs, "last_event_at"),
        instant(rs, "last_restart_at"),
        RestartCause.of(rs.getString("last_restart_cause")),
        rs.getInt("restarts_in_a_row"),
        instant(rs, "unhealthy_since"),
        instant(rs, "restarting_until"),
        rs.getInt("probe_failures"));
  }

  private static RestartRow restart(ResultSet rs, int row) throws SQLException {
    return new RestartRow(
        uuid(rs, "id"),
        uuid(rs, "session_id"),
        instant(rs, "restarted_at"),
        RestartCause.of(rs.getString("cause")),
        rs.getString("reason"),
        rs.getString("outcome"),
        rs.getString("failure"),
        instant(rs, "settled_at"));
  }
}
