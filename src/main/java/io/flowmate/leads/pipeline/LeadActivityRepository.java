package io.flowmate.leads.pipeline;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableInt;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.timestampText;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.db.ProcessColumns;
import io.flowmate.leads.LeadsSettings;
import io.flowmate.messaging.Conversations;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What leads do besides changing status: their activity (messages either way), their scoring (a
 * {@code leads-lead-scoring} instance per lead whose activity changed since it was last scored),
 * and the events of their timeline.
 */
@Repository
public class LeadActivityRepository {

  private final JdbcClient jdbc;
  private final ProcessColumns scoringProcess;

  LeadActivityRepository(JdbcClient jdbc, LeadsSettings settings) {
    this.jdbc = jdbc;
    this.scoringProcess =
        new ProcessColumns(jdbc, "leads_lead", scoringDue(settings.scoring().rescoreAfter()));
  }

  /**
   * A lead needs scoring while the activity it was scored for is not its latest: at once when it
   * was never scored, else once {@code rescoreAfter} has passed since its last score.
   */
  static String scoringDue(Duration rescoreAfter) {
    return "scored_activity_at IS DISTINCT FROM last_activity_at AND (scored_at IS NULL OR scored_at <= now() - interval '"
        + rescoreAfter.toMillis()
        + " milliseconds')";
  }

  // ---- scoring

  /** A lead waiting for its score, and the engine epoch of the instance that scores it, if any. */
  public record ScoringDue(
      UUID id, TenantId tenantId, Long processInstanceKey, String engineEpoch) {}

  public List<ScoringDue> scoringDueOutside(String epoch, int limit) {
    return scoringProcess.liveOutside(
        epoch,
        limit,
        (rs, row) ->
            new ScoringDue(
                uuid(rs, "id"),
                new TenantId(uuid(rs, "tenant_id")),
                rs.getObject("process_instance_key", Long.class),
                rs.getString("engine_epoch")));
  }

  public boolean claimScoring(UUID leadId, String previousEpoch, String epoch) {
    return scoringProcess.claimForEpoch(leadId, previousEpoch, epoch);
  }

  public void attachScoring(UUID leadId, Long processInstanceKey, String epoch) {
    scoringProcess.attach(leadId, processInstanceKey, epoch);
  }

  /** What scoring reads of a lead besides its messages. */
  public record ToScore(
      UUID id,
      TenantId tenantId,
      String contactPhone,
      LeadStatus status,
      Integer score,
      String matchedKeyword,
      String monitorMode,
      String messagePreview,
      String intent,
      Instant lastActivityAt) {}

  public Optional<ToScore> toScore(TenantId tenant, UUID leadId) {
    return jdbc.sql(
            """
            SELECT id, tenant_id, contact_phone, lead_status, lead_score, matched_keyword, monitor_mode, message_preview,
                   last_activity_at,
                   -- the intent detection gave the triggering message (ai_analysis groups), found
                   -- by its group and time through leads_group_message_since
                   (SELECT g.intent FROM leads_group_message g
                     WHERE g.group_id = l.source_group_id AND g.lead_id = l.id AND g.intent IS NOT NULL
                       AND g.received_at BETWEEN l.lead_detected_at - interval '1 second'
                                             AND l.lead_detected_at + interval '1 second'
                     LIMIT 1) AS intent
              FROM leads_lead l WHERE tenant_id = :tenant AND id = :id
            """)
        .param("tenant", tenant.value())
        .param("id", leadId)
        .query((rs, row) ->
            new ToScore(
                uuid(rs, "id"),
                new TenantId(uuid(rs, "tenant_id")),
                rs.getString("contact_phone"),
                LeadStatus.of(rs.getString("lead_status")),
                nullableInt(rs, "lead_score"),
                rs.getString("matched_keyword"),
                rs.getString("monitor_mode"),
                rs.getString("message_preview"),
                rs.getString("intent"),
                instant(rs, "last_activity_at")))
        .optional();
  }

  /**
   * Stores a score for the activity it was computed from; a change of score goes into the timeline.
   * Returns whether the score changed.
   */
  public boolean saveScore(ToScore lead, int score, String reason, Instant at) {
    boolean changed = lead.score() == null || lead.score() != score;
    jdbc.sql(
            """
            UPDATE leads_lead SET lead_score = :score, score_reason = :reason, scored_at = :at,
                   scored_activity_at = :activity
             WHERE tenant_id = :tenant AND id = :id
            """)
        .param("tenant", lead.tenantId().value())
        .param("id", lead.id())
        .param("score", score)
        .param("reason", reason)
        .param("at", timestamp(at))
        .param("activity", timestamp(lead.lastActivityAt()))
        .update();
    if (changed) {
      addEvent(lead.tenantId(), lead.id(), Event.scored(lead.score(), score, reason, at));
    }
    return changed;
  }

  /**
   * Shows the status a score suggests (null: none) and frees the lead for its next scoring. A new
   * suggestion goes into the timeline.
   */
  public void saveSuggestion(
      TenantId tenant, UUID leadId, LeadStatus current, LeadStatus suggested, Instant at) {
    String previous =
        jdbc.sql(
                """
                UPDATE leads_lead l SET suggested_status = :suggested, process_instance_key = NULL, engine_epoch = NULL
                  FROM (SELECT id, suggested_status FROM leads_lead WHERE tenant_id = :tenant AND id = :id FOR UPDATE) old
                 WHERE l.id = old.id
                RETURNING old.suggested_status
                """)
            .param("tenant", tenant.value())
            .param("id", leadId)
            .param("suggested", suggested == null ? null : suggested.value())
            .query(String.class)
            .optional()
            .orElse(null);
    if (suggested != null && !suggested.value().equals(previous)) {
      addEvent(
          tenant,
          leadId,
          new Event(
              Event.Kind.STATUS_SUGGESTED,
              Actor.AUTOMATIC,
              current,
              suggested,
              null,
              "the score suggests moving the lead to " + suggested.value(),
              at));
    }
  }

  // ---- activity

  /** The latest times the tenant's numbers and one person wrote to each other. */
  record Activity(TenantId tenantId, String phone, Instant lastInboundAt, Instant lastOutboundAt) {}

  /** A lead whose activity moved on, with what it was before. */
  record Moved(
      UUID id,
      TenantId tenantId,
      LeadStatus status,
      Integer score,
      Instant previousInboundAt,
      Instant previousOutboundAt,
      Instant lastInboundAt,
      Instant lastOutboundAt) {

    boolean wroteToUs() {
      return lastInboundAt != null
          && (previousInboundAt == null || lastInboundAt.isAfter(previousInboundAt));
    }

    boolean weWrote() {
      return lastOutboundAt != null
          && (previousOutboundAt == null || lastOutboundAt.isAfter(previousOutboundAt));
    }

    /** They wrote after one of our messages. */
    boolean replied() {
      Instant ours = previousOutboundAt;
      if (weWrote()
          && lastOutboundAt.isBefore(lastInboundAt == null ? Instant.MIN : lastInboundAt)) {
        ours = lastOutboundAt;
      }
      return wroteToUs() && ours != null && lastInboundAt.isAfter(ours);
    }
  }

  /**
   * Records the people's latest activity on their leads (one statement for all), and answers the
   * leads it moved on; people who are no lead, and times already known, change nothing.
   */
  List<Moved> recordActivity(Collection<Activity> activity, Instant at) {
    if (activity.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            WITH activity AS (
                SELECT * FROM unnest(CAST(:tenants AS uuid[]), CAST(:phones AS text[]),
                                     CAST(:inbound AS timestamptz[]), CAST(:outbound AS timestamptz[]))
                         AS a(tenant_id, phone, inbound, outbound)),
            old AS (
                SELECT l.id, l.tenant_id, l.lead_status, l.lead_score, l.last_inbound_at, l.last_outbound_at,
                       a.inbound, a.outbound
                  FROM leads_lead l JOIN activity a ON l.tenant_id = a.tenant_id AND l.contact_phone = a.phone
                 WHERE a.inbound > COALESCE(l.last_inbound_at, '-infinity')
                    OR a.outbound > COALESCE(l.last_outbound_at, '-infinity')
                   FOR UPDATE OF l)
            UPDATE leads_lead l
               SET last_inbound_at = GREATEST(l.last_inbound_at, old.inbound),
                   last_outbound_at = GREATEST(l.last_outbound_at, old.outbound),
                   last_activity_at = GREATEST(l.last_activity_at, old.inbound, old.outbound),
                   updated_at = :at
              FROM old WHERE l.id = old.id
            RETURNING l.id, l.tenant_id, old.lead_status, old.lead_score,
                      old.last_inbound_at AS previous_inbound_at, old.last_outbound_at AS previous_outbound_at,
                      l.last_inbound_at, l.last_outbound_at
            """)
        .param("tenants", activity.stream().map(a -> a.tenantId().value()).toArray(UUID[]::new))
        .param("phones", activity.stream().map(Activity::phone).toArray(String[]::new))
        .param(
            "inbound",
            activity.stream().map(a -> timestampText(a.lastInboundAt())).toArray(String[]::new))
        .param(
            "outbound",
            activity.stream().map(a -> timestampText(a.lastOutboundAt())).toArray(String[]::new))
        .param("at", timestamp(at))
        .query((rs, row) ->
            new Moved(
                uuid(rs, "id"),
                new TenantId(uuid(rs, "tenant_id")),
                LeadStatus.of(rs.getString("lead_status")),
                nullableInt(rs, "lead_score"),
                instant(rs, "previous_inbound_at"),
                instant(rs, "previous_outbound_at"),
                instant(rs, "last_inbound_at"),
                instant(rs, "last_outbound_at")))
        .list();
  }

  /** Where the activity sweep stands; empty before its first run. */
  Optional<Conversations.ChatCursor> lockCursor() {
    return jdbc.sql(
            """
            SELECT at, session_id, chat_id FROM leads_activity_cursor WHERE stream = 'chats'
               FOR UPDATE SKIP LOCKED
            """)
        .query((rs, row) ->
            new Conversations.ChatCursor(
                instant(rs, "at"), SessionId.of(uuid(rs, "session_id")), rs.getString("chat_id")))
        .optional();
  }

  /** Starts the sweep at a moment, unless another node did; false if it did. */
  boolean startCursor(Instant at) {
    return jdbc.sql(
                """
                INSERT INTO leads_activity_cursor (stream, at, session_id, chat_id)
                VALUES ('chats', :at, :session, '') ON CONFLICT (stream) DO NOTHING
                """)
            .param("at", timestamp(at))
            .param("session", new UUID(0L, 0L))
            .update()
        == 1;
  }

  void moveCursor(Conversations.ChatCursor cursor) {
    jdbc.sql(
            "UPDATE leads_activity_cursor SET at = :at, session_id = :session, chat_id = :chat WHERE stream = 'chats'")
        .param("at", timestamp(cursor.recordedAt()))
        .param("session", cursor.sessionId().value())
        .param("chat", cursor.chatId())
        .update();
  }

  // ---- timeline

  enum Actor {
    USER,
    BULK,
    AUTOMATIC;

    String value() {
      return name().toLowerCase();
    }
  }

  /** An entry of a lead's timeline. */
  record Event(
      Kind kind,
      Actor actor,
      LeadStatus fromStatus,
      LeadStatus toStatus,
      Integer score,
      String detail,
      Instant at) {

    enum Kind {
      STATUS_CHANGED,
      SCORED,
      STATUS_SUGGESTED;

      String value() {
        return name().toLowerCase();
      }
    }

    static Event statusChanged(
        Actor actor, LeadStatus from, LeadStatus to, String detail, Instant at) {
      return new Event(Kind.STATUS_CHANGED, actor, from, to, null, detail, at);
    }

    static Event scored(Integer previous, int score, String reason, Instant at) {
      return new Event(
          Kind.SCORED,
          Actor.AUTOMATIC,
          null,
          null,
          score,
          (previous == null ? "scored " : "score %d → ".formatted(previous))
              + score
              + ": "
              + reason,
          at);
    }
  }

  void addEvent(TenantId tenant, UUID leadId, Event event) {
    jdbc.sql(
            """
            INSERT INTO leads_lead_event (id, tenant_id, lead_id, kind, actor, from_status, to_status, score, detail, occurred_at)
            VALUES (:id, :tenant, :lead, :kind, :actor, :from, :to, :score, :detail, :at)
            """)
        .param("id", Ids.newId())
        .param("tenant", tenant.value())
        .param("lead", leadId)
        .param("kind", event.kind().value())
        .param("actor", event.actor().value())
        .param("from", event.fromStatus() == null ? null : event.fromStatus().value())
        .param("to", event.toStatus() == null ? null : event.toStatus().value())
        .param("score", event.score())
        .param("detail", event.detail())
        .param("at", timestamp(event.at()))
        .update();
  }

  /** The lead's latest events, newest first. */
  List<Event> events(TenantId tenant, UUID leadId, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM leads_lead_event WHERE tenant_id = :tenant AND lead_id = :lead
             ORDER BY id DESC LIMIT :limit
            """)
        .param("tenant", tenant.value())
        .param("lead", leadId)
        .param("limit", limit)
        .query((rs, row) ->
            new Event(
                Event.Kind.valueOf(rs.getString("kind").toUpperCase()),
                Actor.valueOf(rs.getString("actor").toUpperCase()),
                rs.getString("from_status") == null
                    ? null
                    : LeadStatus.of(rs.getString("from_status")),
                rs.getString("to_status") == null ? null : LeadStatus.of(rs.getString("to_status")),
                nullableInt(rs, "score"),
                rs.getString("detail"),
                instant(rs, "occurred_at")))
        .list();
  }
}
