package io.flowmate.leads.pipeline;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableInt;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenant's leads. Every query names the tenant: other tenants' leads do not exist here. */
@Repository
public class LeadRepository {

  /**
   * What a list or an export selects. {@code search} matches the name or keyword in any case; one
   * that looks like a phone number ({@code +49 151}) also matches the numbers that contain its
   * digits.
   */
  record Filter(
      LeadStatus status,
      UUID sourceGroupId,
      String search,
      Integer minScore,
      Instant detectedAfter,
      Instant detectedBefore) {

    static final Filter NONE = new Filter(null, null, null, null, null, null);
  }

  /** The orders a list can be sorted in; ties are broken by id. */
  enum Sort {
    CREATED_AT("id"),
    LEAD_DETECTED_AT("lead_detected_at"),
    LEAD_SCORE("lead_score"),
    LAST_ACTIVITY_AT("last_activity_at");

    private final String column;

    Sort(String column) {
      this.column = column;
    }

    String value() {
      return name().toLowerCase();
    }

    /** SQL for this order; scores absent sort last either way. */
    String orderBy(boolean ascending) {
      String direction = ascending ? "ASC" : "DESC";
      return " ORDER BY "
          + column
          + " "
          + direction
          + (this == LEAD_SCORE ? " NULLS LAST" : "")
          + ", id "
          + direction;
    }
  }

  private static final String WHERE =
      """
       WHERE tenant_id = :tenant
         AND (CAST(:status AS text) IS NULL OR lead_status = CAST(:status AS text))
         AND (CAST(:source AS uuid) IS NULL OR source_group_id = CAST(:source AS uuid))
         AND (CAST(:search AS text) IS NULL
              OR contact_name ILIKE CAST(:search AS text) ESCAPE '\\'
              OR matched_keyword ILIKE CAST(:search AS text) ESCAPE '\\'
              OR contact_phone LIKE CAST(:searchDigits AS text) ESCAPE '\\')
         AND (CAST(:minScore AS integer) IS NULL OR lead_score >= CAST(:minScore AS integer))
         AND (CAST(:detectedAfter AS timestamptz) IS NULL OR lead_detected_at >= CAST(:detectedAfter AS timestamptz))
         AND (CAST(:detectedBefore AS timestamptz) IS NULL OR lead_detected_at < CAST(:detectedBefore AS timestamptz))
      """;

  private static final Pattern PHONE_LIKE =
      Pattern.compile("[+0-9\\s().\\-]*[0-9][+0-9\\s().\\-]*");

  private final JdbcClient jdbc;

  LeadRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the lead unless the tenant already has one for this phone number.
   *
   * @return whether it was inserted
   */
  boolean insertIfAbsent(Lead lead) {
    Lead.Trigger trigger = lead.trigger();
    return jdbc.sql(
                """
                INSERT INTO leads_lead (id, tenant_id, contact_phone, contact_name, lead_status, lead_score,
                    lead_detected_at, source_group_id, source_group_name, matched_keyword, message_preview,
                    monitor_mode, status_changed_at, last_activity_at, scored_activity_at, created_at, updated_at)
                VALUES (:id, :tenant, :phone, :name, :status, :score, :detectedAt, :sourceId, :sourceName,
                    :keyword, :preview, :mode, :changedAt, :activityAt,
                    CASE WHEN CAST(:score AS integer) IS NULL THEN NULL ELSE CAST(:activityAt AS timestamptz) END,
                    :createdAt, :updatedAt)
                ON CONFLICT (tenant_id, contact_phone) DO NOTHING
                """)
            .param("id", lead.id())
            .param("tenant", lead.tenantId().value())
            .param("phone", lead.contactPhone())
            .param("name", lead.contactName())
            .param("status", lead.status().value())
            .param("score", lead.score())
            .param("detectedAt", timestamp(lead.detectedAt()))
            .param("sourceId", lead.sourceGroupId())
            .param("sourceName", lead.sourceGroupName())
            .param("keyword", trigger == null ? null : trigger.matchedKeyword())
            .param("preview", trigger == null ? null : trigger.messagePreview())
            .param("mode", trigger == null ? null : trigger.monitorMode())
            .param("changedAt", timestamp(lead.statusChangedAt()))
            .param("activityAt", timestamp(lead.lastActivityAt()))
            .param("createdAt", timestamp(lead.createdAt()))
            .param("updatedAt", timestamp(lead.updatedAt()))
            .update()
        == 1;
  }

  public Optional<Lead> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM leads_lead WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(LeadRepository::map)
        .optional();
  }

  Optional<UUID> idOfPhone(TenantId tenant, String phone) {
    return jdbc.sql(
            "SELECT id FROM leads_lead WHERE tenant_id = :tenant AND contact_phone = :phone")
        .param("tenant", tenant.value())
        .param("phone", phone)
        .query(UUID.class)
        .optional();
  }

  /** The leads the filter selects, in the order asked for. */
  List<Lead> list(
      TenantId tenant, Filter filter, Sort sort, boolean ascending, int limit, int offset) {
    return filtered(
            "SELECT * FROM leads_lead"
                + WHERE
                + sort.orderBy(ascending)
                + " LIMIT :limit OFFSET :offset",
            tenant,
            filter)
        .param("limit", limit)
        .param("offset", offset)
        .query(LeadRepository::map)
        .list();
  }

  /**
   * The leads the filter selects older than {@code before} (null: from the newest), newest first.
   */
  List<Lead> listBefore(TenantId tenant, Filter filter, UUID before, int limit) {
    return filtered(
            "SELECT * FROM leads_lead"
                + WHERE
                + " AND (CAST(:before AS uuid) IS NULL OR id < CAST(:before AS uuid)) ORDER BY id DESC LIMIT :limit",
            tenant,
            filter)
        .param("before", before)
        .param("limit", limit)
        .query(LeadRepository::map)
        .list();
  }

  long count(TenantId tenant, Filter filter) {
    return filtered("SELECT count(*) FROM leads_lead" + WHERE, tenant, filter)
        .query(Long.class)
        .single();
  }

  /**
   * Moves the lead to {@code to} if it still has status {@code from}: a concurrent change in
   * between makes this return false rather than skip the policy.
   */
  boolean changeStatus(TenantId tenant, UUID id, LeadStatus from, LeadStatus to, Instant at) {
    return jdbc.sql(
                """
                UPDATE leads_lead SET lead_status = :to, status_changed_at = :at, updated_at = :at,
                       suggested_status = NULL
                WHERE tenant_id = :tenant AND id = :id AND lead_status = :from
                """)
            .param("tenant", tenant.value())
            .param("id", id)
            .param("from", from.value())
            .param("to", to.value())
            .param("at", timestamp(at))
            .update()
        == 1;
  }

  private JdbcClient.StatementSpec filtered(String sql, TenantId tenant, Filter filter) {
    String search = filter.search() == null ? null : "%" + likeEscaped(filter.search()) + "%";
    // Only a search that looks like (part of) a phone number searches the numbers, by its digits.
    String digits =
        filter.search() == null || !PHONE_LIKE.matcher(filter.search()).matches()
            ? null
            : filter.search().replaceAll("[^0-9]", "");
    return jdbc.sql(sql)
        .param("tenant", tenant.value())
        .param("status", filter.status() == null ? null : filter.status().value())
        .param("source", filter.sourceGroupId())
        .param("search", search)
        .param("searchDigits", digits == null || digits.isEmpty() ? null : "%" + digits + "%")
        .param("minScore", filter.minScore())
        .param(
            "detectedAfter",
            filter.detectedAfter() == null ? null : timestamp(filter.detectedAfter()))
        .param(
            "detectedBefore",
            filter.detectedBefore() == null ? null : timestamp(filter.detectedBefore()));
  }

  private static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static Lead map(ResultSet rs, int row) throws SQLException {
    String keyword = rs.getString("matched_keyword");
    String preview = rs.getString("message_preview");
    String mode = rs.getString("monitor_mode");
    return new Lead(
        uuid(rs, "id"),
        new TenantId(uuid(rs, "tenant_id")),
        rs.getString("contact_phone"),
        rs.getString("contact_name"),
        LeadStatus.of(rs.getString("lead_status")),
        nullableInt(rs, "lead_score"),
        instant(rs, "lead_detected_at"),
        uuid(rs, "source_group_id"),
        rs.getString("source_group_name"),
        keyword == null && preview == null && mode == null
            ? null
            : new Lead.Trigger(keyword, preview, mode),
        instant(rs, "status_changed_at"),
        new Lead.Scoring(
            rs.getString("score_reason"),
            instant(rs, "scored_at"),
            rs.getString("suggested_status") == null
                ? null
                : LeadStatus.of(rs.getString("suggested_status"))),
        instant(rs, "last_activity_at"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
