package io.flowmate.leads;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.nullableInt;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.LeadId;
import io.flowmate.core.TenantId;
import io.flowmate.leads.pipeline.LeadStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The lead pipeline as other modules read it: figures for reports and the health report, and the
 * contacts behind lead ids for outreach. Read-only; status changes go through the API and the DMN.
 */
@Service
public class Leads {

  /** The five statuses in pipeline order, as the API writes them. */
  public static final List<String> STATUSES =
      java.util.Arrays.stream(LeadStatus.values()).map(LeadStatus::value).toList();

  private final JdbcClient jdbc;

  Leads(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A lead's contact and standing, without its detection details. */
  public record LeadSummary(
      LeadId id,
      String contactPhone,
      String contactName,
      String status,
      Integer score,
      UUID sourceGroupId,
      String sourceGroupName,
      Instant detectedAt,
      Instant lastActivityAt) {}

  /** How many leads each status holds; every status is present, in pipeline order. */
  public Map<String, Long> countByStatus(TenantId tenant) {
    Map<String, Long> counts = new LinkedHashMap<>();
    STATUSES.forEach(status -> counts.put(status, 0L));
    jdbc.sql(
            "SELECT lead_status, count(*) AS n FROM leads_lead WHERE tenant_id = :tenant GROUP BY lead_status")
        .param("tenant", tenant.value())
        .query((rs, row) -> Map.entry(rs.getString("lead_status"), rs.getLong("n")))
        .list()
        .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
    return counts;
  }

  /** Leads detected (or entered) at or after {@code since}. */
  public long detectedSince(TenantId tenant, Instant since) {
    return jdbc.sql(
            "SELECT count(*) FROM leads_lead WHERE tenant_id = :tenant AND lead_detected_at >= :since")
        .param("tenant", tenant.value())
        .param("since", timestamp(since))
        .query(Long.class)
        .single();
  }

  /**
   * Where leads come from: lead count per source group name ({@code null} key for leads entered by
   * hand), largest first.
   */
  public Map<String, Long> countBySource(TenantId tenant) {
    Map<String, Long> counts = new LinkedHashMap<>();
    jdbc.sql(
            """
            SELECT source_group_name, count(*) AS n FROM leads_lead WHERE tenant_id = :tenant
             GROUP BY source_group_name ORDER BY n DESC, source_group_name
            """)
        .param("tenant", tenant.value())
        .query(
            (rs, row) -> Map.entry(java.util.Optional.ofNullable(rs.getString(1)), rs.getLong(2)))
        .list()
        .forEach(entry -> counts.put(entry.getKey().orElse(null), entry.getValue()));
    return counts;
  }

  /**
   * Open leads ({@code new} or {@code contacted}) that neither wrote, were written to nor were
   * detected again since {@code quietSince}: warm leads going cold, longest quiet first.
   */
  public List<LeadSummary> goingCold(TenantId tenant, Instant quietSince, int limit) {
    return jdbc.sql(
            SELECT
                + """
                 WHERE tenant_id = :tenant AND lead_status IN ('new', 'contacted')
                   AND last_activity_at < :quietSince
                 ORDER BY last_activity_at, id
                 LIMIT :limit
                """)
        .param("tenant", tenant.value())
        .param("quietSince", timestamp(quietSince))
        .param("limit", limit)
        .query(Leads::summary)
        .list();
  }

  /** The tenant's leads among {@code ids}; unknown ids and other tenants' leads are left out. */
  public List<LeadSummary> find(TenantId tenant, Collection<LeadId> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(SELECT + " WHERE tenant_id = :tenant AND id = ANY(:ids) ORDER BY id")
        .param("tenant", tenant.value())
        .param("ids", ids.stream().map(LeadId::value).toArray(UUID[]::new))
        .query(Leads::summary)
        .list();
  }

  private static final String SELECT =
      """
      SELECT id, contact_phone, contact_name, lead_status, lead_score, source_group_id, source_group_name,
             lead_detected_at, last_activity_at
        FROM leads_lead
      """;

  private static LeadSummary summary(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new LeadSummary(
        LeadId.of(uuid(rs, "id")),
        rs.getString("contact_phone"),
        rs.getString("contact_name"),
        rs.getString("lead_status"),
        nullableInt(rs, "lead_score"),
        uuid(rs, "source_group_id"),
        rs.getString("source_group_name"),
        instant(rs, "lead_detected_at"),
        instant(rs, "last_activity_at"));
  }
}
