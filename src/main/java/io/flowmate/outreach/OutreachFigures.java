package io.flowmate.outreach;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.CampaignId;
import io.flowmate.core.TenantId;
import io.flowmate.outreach.campaign.Campaign;
import io.flowmate.outreach.campaign.CampaignProgress;
import io.flowmate.outreach.campaign.CampaignRepository;
import io.flowmate.outreach.schedule.ScheduledExecution;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Outreach as reports and the account health report see it: how scheduled messages ran, how far
 * bulk sends are, and the tenant's contact lists. Read-only.
 */
@Service
public class OutreachFigures {

  private final JdbcClient jdbc;
  private final CampaignRepository campaigns;
  private final CampaignProgress progress;

  OutreachFigures(JdbcClient jdbc, CampaignRepository campaigns, CampaignProgress progress) {
    this.jdbc = jdbc;
    this.campaigns = campaigns;
    this.progress = progress;
  }

  /**
   * Scheduled messages: how many are active and paused now, and what their occurrences in a window
   * did.
   *
   * @param executed occurrences whose messages were queued
   * @param failed occurrences that could not be sent (session or custom group gone)
   * @param missed occurrences due while Flowmate was down, past the grace period
   * @param upcoming the next active schedules to run, soonest first
   * @param recentFailures the latest failed or missed occurrences of the window, newest first
   */
  public record ScheduleFigures(
      long active,
      long paused,
      long executed,
      long failed,
      long missed,
      List<UpcomingRun> upcoming,
      List<FailedRun> recentFailures) {}

  public record UpcomingRun(UUID scheduleId, String name, String scheduleType, Instant nextRunAt) {}

  public record FailedRun(
      UUID scheduleId, String name, Instant occurrence, String status, String error) {}

  /**
   * Bulk sends: how many are under way, how many finished in a window, and the progress of each of
   * the latest (under way, or finished in the window), newest first.
   */
  public record BulkSendFigures(
      long running, long paused, long pending, long finished, List<CampaignFigures> latest) {}

  /**
   * One bulk send's progress, counted from its messages.
   *
   * @param sent messages that left (sent, delivered, read or played)
   * @param waiting recipients whose message has not left yet
   */
  public record CampaignFigures(
      CampaignId id,
      String name,
      String status,
      long total,
      long sent,
      long delivered,
      long failed,
      long waiting,
      Instant createdAt,
      Instant finishedAt) {}

  /** The tenant's scheduled messages and their occurrences in {@code [since, until)}. */
  public ScheduleFigures schedules(TenantId tenant, Instant since, Instant until, int limit) {
    Map<String, Long> byStatus =
        jdbc
            .sql(
                "SELECT status, count(*) FROM outreach_scheduled_message WHERE tenant_id = :tenant GROUP BY status")
            .param("tenant", tenant.value())
            .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
            .list()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    Map<String, Long> runs =
        jdbc
            .sql(
                """
                SELECT e.status, count(*) FROM outreach_scheduled_execution e
                JOIN outreach_scheduled_message s ON s.id = e.schedule_id
                WHERE s.tenant_id = :tenant AND e.occurrence >= :since AND e.occurrence < :until
                GROUP BY e.status
                """)
            .param("tenant", tenant.value())
            .param("since", timestamp(since))
            .param("until", timestamp(until))
            .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
            .list()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    List<UpcomingRun> upcoming =
        jdbc.sql(
                """
                SELECT id, name, schedule_type, next_run_at FROM outreach_scheduled_message
                WHERE tenant_id = :tenant AND status = 'active' ORDER BY next_run_at, id LIMIT :limit
                """)
            .param("tenant", tenant.value())
            .param("limit", limit)
            .query((rs, row) ->
                new UpcomingRun(
                    uuid(rs, "id"),
                    rs.getString("name"),
                    rs.getString("schedule_type"),
                    instant(rs, "next_run_at")))
            .list();
    List<FailedRun> failures =
        jdbc.sql(
                """
                SELECT s.id, s.name, e.occurrence, e.status, e.error FROM outreach_scheduled_execution e
                JOIN outreach_scheduled_message s ON s.id = e.schedule_id
                WHERE s.tenant_id = :tenant AND e.status IN ('failed', 'missed')
                  AND e.occurrence >= :since AND e.occurrence < :until
                ORDER BY e.occurrence DESC, e.id LIMIT :limit
                """)
            .param("tenant", tenant.value())
            .param("since", timestamp(since))
            .param("until", timestamp(until))
            .param("limit", limit)
            .query((rs, row) ->
                new FailedRun(
                    uuid(rs, "id"),
                    rs.getString("name"),
                    instant(rs, "occurrence"),
                    rs.getString("status"),
                    rs.getString("error")))
            .list();
    return new ScheduleFigures(
        byStatus.getOrDefault("active", 0L),
        byStatus.getOrDefault("paused", 0L),
        runs.getOrDefault(ScheduledExecution.EXECUTED, 0L),
        runs.getOrDefault(ScheduledExecution.FAILED, 0L),
        runs.getOrDefault(ScheduledExecution.MISSED, 0L),
        upcoming,
        failures);
  }

  /**
   * The tenant's bulk sends: under way now, finished at or after {@code since}, and the progress of
   * up to {@code limit} of them (the ones under way and those finished since), newest first.
   */
  public BulkSendFigures bulkSends(TenantId tenant, Instant since, int limit) {
    Map<String, Long> live =
        jdbc
            .sql(
                """
                SELECT status, count(*) FROM outreach_campaign
                WHERE tenant_id = :tenant AND status IN ('pending', 'running', 'paused') GROUP BY status
                """)
            .param("tenant", tenant.value())
            .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
            .list()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    long finished =
        jdbc.sql(
                """
                SELECT count(*) FROM outreach_campaign
                WHERE tenant_id = :tenant AND status IN ('completed', 'cancelled', 'failed') AND finished_at >= :since
                """)
            .param("tenant", tenant.value())
            .param("since", timestamp(since))
            .query(Long.class)
            .single();
    List<UUID> latest =
        jdbc.sql(
                """
                SELECT id FROM outreach_campaign
                WHERE tenant_id = :tenant AND (status IN ('pending', 'running', 'paused') OR finished_at >= :since)
                ORDER BY created_at DESC, id DESC LIMIT :limit
                """)
            .param("tenant", tenant.value())
            .param("since", timestamp(since))
            .param("limit", limit)
            .query((rs, row) -> uuid(rs, "id"))
            .list();
    List<CampaignFigures> figures =
        latest.stream()
            .flatMap(id -> campaigns.find(tenant, id).stream())
            .map(this::figures)
            .toList();
    return new BulkSendFigures(
        live.getOrDefault("running", 0L),
        live.getOrDefault("paused", 0L),
        live.getOrDefault("pending", 0L),
        finished,
        figures);
  }

  /** How many custom groups (contact lists) the tenant has. */
  public long customGroups(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM outreach_custom_group WHERE tenant_id = :tenant")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  /**
   * Which of these phone numbers (E.164 digits) are members of at least one of the tenant's custom
   * groups.
   */
  public Set<String> inAnyCustomGroup(TenantId tenant, Collection<String> phones) {
    if (phones.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(
        jdbc.sql(
                """
                SELECT DISTINCT m.phone FROM outreach_custom_group_member m
                JOIN outreach_custom_group g ON g.id = m.group_id
                WHERE g.tenant_id = :tenant AND m.phone = ANY(:phones)
                """)
            .param("tenant", tenant.value())
            .param("phones", phones.toArray(String[]::new))
            .query(String.class)
            .list());
  }

  private CampaignFigures figures(Campaign campaign) {
    Map<String, Object> counts = progress.of(campaign);
    return new CampaignFigures(
        CampaignId.of(campaign.id()),
        campaign.name(),
        campaign.status().value(),
        number(counts, "total"),
        number(counts, "sent"),
        number(counts, "delivered"),
        number(counts, "failed"),
        number(counts, "pending"),
        campaign.createdAt(),
        campaign.finishedAt());
  }

  private static long number(Map<String, Object> counts, String key) {
    return ((Number) counts.get(key)).longValue();
  }
}
