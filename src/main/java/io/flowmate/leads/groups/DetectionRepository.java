package io.flowmate.leads.groups;

import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.timestampText;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What detection writes for a batch of group messages, each kind in one statement whatever the
 * batch size: first senders, leads, analysis rows and the groups' counters.
 */
@Repository
class DetectionRepository {

  /** Separates a message's matched keywords in one array element (keywords cannot contain it). */
  private static final char KEYWORD_SEPARATOR = '\u001f';

  private final JdbcClient jdbc;

  DetectionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  record Sender(UUID groupId, String sender, Instant at) {}

  /**
   * Claims the messages for examination; answers those no one claimed before (committed or not: a
   * claim another transaction holds makes this one wait for its outcome).
   */
  Set<UUID> claimExamined(List<UUID> messageIds, Instant now) {
    if (messageIds.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        jdbc.sql(
                """
                INSERT INTO leads_group_examined (message_id, examined_at)
                SELECT id, :now FROM unnest(CAST(:ids AS uuid[])) AS id
                ON CONFLICT (message_id) DO NOTHING
                RETURNING message_id
                """)
            .param("ids", messageIds.toArray(UUID[]::new))
            .param("now", timestamp(now))
            .query(UUID.class)
            .list());
  }

  int forgetExaminedBefore(Instant cutoff) {
    return jdbc.sql("DELETE FROM leads_group_examined WHERE examined_at < :cutoff")
        .param("cutoff", timestamp(cutoff))
        .update();
  }

  /** Records the senders not seen in their group before; answers those ("group sender" keys). */
  Set<String> recordFirstSenders(List<Sender> senders) {
    Set<String> first = new HashSet<>();
    if (senders.isEmpty()) {
      return first;
    }
    jdbc.sql(
            """
            INSERT INTO leads_group_sender (group_id, sender, first_message_at)
            SELECT * FROM unnest(CAST(:groups AS uuid[]), CAST(:senders AS text[]), CAST(:ats AS timestamptz[]))
            ON CONFLICT (group_id, sender) DO NOTHING
            RETURNING group_id, sender
            """)
        .param("groups", column(senders, Sender::groupId, UUID[]::new))
        .param("senders", column(senders, Sender::sender, String[]::new))
        .param("ats", column(senders, s -> timestampText(s.at()), String[]::new))
        .query((rs, row) -> key(uuid(rs, "group_id"), rs.getString("sender")))
        .list()
        .forEach(first::add);
    return first;
  }

  static String key(UUID groupId, String sender) {
    return groupId + " " + sender;
  }

  /** A lead as detection proposes it: created if the phone has none, else only marked active. */
  record LeadRow(
      UUID id,
      TenantId tenant,
      String phone,
      String name,
      Instant at,
      UUID groupId,
      String groupName,
      String keyword,
      String preview,
      MonitorMode mode) {}

  record Upserted(UUID id, boolean inserted) {}

  /**
   * Creates the leads whose phone the tenant has no lead for (status {@code new}); for the others
   * records the activity and leaves status and trigger alone. At most one row per tenant and phone.
   *
   * @return by "tenant phone"
   */
  Map<String, Upserted> upsertLeads(List<LeadRow> leads, Instant now) {
    Map<String, Upserted> upserted = new HashMap<>();
    if (leads.isEmpty()) {
      return upserted;
    }
    jdbc.sql(
            """
            INSERT INTO leads_lead AS l (id, tenant_id, contact_phone, contact_name, lead_status, lead_detected_at,
                source_group_id, source_group_name, matched_keyword, message_preview, monitor_mode, status_changed_at,
                last_activity_at, created_at, updated_at)
            SELECT id, tenant, phone, name, 'new', at, source, source_name, keyword, preview, mode, at, at, :now, :now
              FROM unnest(CAST(:ids AS uuid[]), CAST(:tenants AS uuid[]), CAST(:phones AS text[]), CAST(:names AS text[]),
                CAST(:ats AS timestamptz[]), CAST(:sources AS uuid[]), CAST(:sourceNames AS text[]),
                CAST(:keywords AS text[]), CAST(:previews AS text[]), CAST(:modes AS text[]))
                AS v(id, tenant, phone, name, at, source, source_name, keyword, preview, mode)
            ON CONFLICT (tenant_id, contact_phone) DO UPDATE SET
                last_activity_at = GREATEST(l.last_activity_at, EXCLUDED.lead_detected_at),
                contact_name = COALESCE(l.contact_name, EXCLUDED.contact_name),
                updated_at = EXCLUDED.updated_at
            RETURNING id, tenant_id, contact_phone, (xmax = 0) AS inserted
            """)
        .param("ids", column(leads, LeadRow::id, UUID[]::new))
        .param("tenants", column(leads, l -> l.tenant().value(), UUID[]::new))
        .param("phones", column(leads, LeadRow::phone, String[]::new))
        .param("names", column(leads, LeadRow::name, String[]::new))
        .param("ats", column(leads, l -> timestampText(l.at()), String[]::new))
        .param("sources", column(leads, LeadRow::groupId, UUID[]::new))
        .param("sourceNames", column(leads, LeadRow::groupName, String[]::new))
        .param("keywords", column(leads, LeadRow::keyword, String[]::new))
        .param("previews", column(leads, LeadRow::preview, String[]::new))
        .param("modes", column(leads, l -> l.mode().value(), String[]::new))
        .param("now", timestamp(now))
        .query((rs, row) ->
            Map.entry(
                uuid(rs, "tenant_id") + " " + rs.getString("contact_phone"),
                new Upserted(uuid(rs, "id"), rs.getBoolean("inserted"))))
        .list()
        .forEach(e -> upserted.put(e.getKey(), e.getValue()));
    return upserted;
  }

  /** What detection did with one message (stored when it matched or was classified). */
  record AnalysisRow(
      UUID groupId,
      UUID messageId,
      TenantId tenant,
      Instant at,
      List<String> keywords,
      boolean match,
      UUID leadId,
      boolean newLead,
      GroupIntentClassifier.Analysis analysis) {}

  void insertAnalyses(List<AnalysisRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO leads_group_message (group_id, message_id, tenant_id, received_at, matched_keywords, is_match,
                lead_id, new_lead, intent, lead_score, confidence, reason)
            SELECT group_id, message_id, tenant, at, COALESCE(string_to_array(keywords, chr(31)), '{}'), is_match,
                   lead, new_lead, intent, score, confidence, reason
              FROM unnest(CAST(:groups AS uuid[]), CAST(:messages AS uuid[]), CAST(:tenants AS uuid[]),
                CAST(:ats AS timestamptz[]), CAST(:keywords AS text[]), CAST(:matches AS boolean[]),
                CAST(:leads AS uuid[]), CAST(:newLeads AS boolean[]), CAST(:intents AS text[]),
                CAST(:scores AS smallint[]), CAST(:confidences AS real[]), CAST(:reasons AS text[]))
                AS v(group_id, message_id, tenant, at, keywords, is_match, lead, new_lead, intent, score, confidence, reason)
            ON CONFLICT (group_id, message_id) DO NOTHING
            """)
        .param("groups", column(rows, AnalysisRow::groupId, UUID[]::new))
        .param("messages", column(rows, AnalysisRow::messageId, UUID[]::new))
        .param("tenants", column(rows, r -> r.tenant().value(), UUID[]::new))
        .param("ats", column(rows, r -> timestampText(r.at()), String[]::new))
        .param(
            "keywords",
            column(
                rows,
                r ->
                    r.keywords().isEmpty()
                        ? null
                        : String.join(String.valueOf(KEYWORD_SEPARATOR), r.keywords()),
                String[]::new))
        .param("matches", column(rows, AnalysisRow::match, Boolean[]::new))
        .param("leads", column(rows, AnalysisRow::leadId, UUID[]::new))
        .param("newLeads", column(rows, AnalysisRow::newLead, Boolean[]::new))
        .param(
            "intents",
            column(
                rows,
                r -> r.analysis() == null ? null : r.analysis().intent().value(),
                String[]::new))
        .param(
            "scores",
            column(
                rows, r -> r.analysis() == null ? null : r.analysis().leadScore(), Integer[]::new))
        .param(
            "confidences",
            column(
                rows, r -> r.analysis() == null ? null : r.analysis().confidence(), Double[]::new))
        .param(
            "reasons",
            column(rows, r -> r.analysis() == null ? null : r.analysis().reason(), String[]::new))
        .update();
  }

  record Counts(UUID groupId, long messages, long newLeads, Instant lastMessageAt) {}

  void addCounts(List<Counts> counts) {
    if (counts.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            UPDATE leads_monitored_group g
               SET messages_processed = g.messages_processed + v.messages,
                   leads_detected = g.leads_detected + v.leads,
                   last_message_at = GREATEST(g.last_message_at, v.last_at)
              FROM unnest(CAST(:groups AS uuid[]), CAST(:messages AS bigint[]), CAST(:leads AS bigint[]),
                CAST(:lasts AS timestamptz[])) AS v(id, messages, leads, last_at)
             WHERE g.id = v.id
            """)
        .param("groups", column(counts, Counts::groupId, UUID[]::new))
        .param("messages", column(counts, Counts::messages, Long[]::new))
        .param("leads", column(counts, Counts::newLeads, Long[]::new))
        .param("lasts", column(counts, c -> timestampText(c.lastMessageAt()), String[]::new))
        .update();
  }

  private static <T, C> C[] column(List<T> rows, Function<T, C> value, IntFunction<C[]> array) {
    C[] values = array.apply(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      values[i] = value.apply(rows.get(i));
    }
    return values;
  }
}
