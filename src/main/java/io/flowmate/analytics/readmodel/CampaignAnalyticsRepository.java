package io.flowmate.analytics.readmodel;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads a campaign's funnel from its messages' rows in {@code analytics_campaign_message}. */
@Repository
class CampaignAnalyticsRepository {

  private final JdbcClient jdbc;

  CampaignAnalyticsRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * How many of the campaign's messages reached each step (a read message counts as delivered and
   * sent too), and the span of its sends.
   *
   * @param waiting queued and not sent yet (held while paused included)
   */
  record Funnel(
      long queued,
      long waiting,
      long sent,
      long delivered,
      long read,
      long replied,
      long failed,
      long cancelled,
      Instant firstSentAt,
      Instant lastSentAt,
      long peakPerMinute) {}

  Funnel funnel(TenantId tenant, UUID campaignId) {
    return jdbc.sql(
            """
            SELECT count(*) AS queued,
              count(*) FILTER (WHERE status = 'queued') AS waiting,
              count(sent_at) AS sent,
              count(delivered_at) AS delivered,
              count(read_at) AS read,
              count(replied_at) AS replied,
              count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
              min(sent_at) AS first_sent_at,
              max(sent_at) AS last_sent_at,
              (SELECT COALESCE(max(n), 0) FROM (
                 SELECT count(*) AS n FROM analytics_campaign_message
                 WHERE campaign_id = :campaign AND tenant_id = :tenant AND sent_at IS NOT NULL
                 GROUP BY date_trunc('minute', sent_at)) per_minute) AS peak_per_minute
            FROM analytics_campaign_message
            WHERE campaign_id = :campaign AND tenant_id = :tenant
            """)
        .param("campaign", campaignId)
        .param("tenant", tenant.value())
        .query((rs, row) ->
            new Funnel(
                rs.getLong("queued"),
                rs.getLong("waiting"),
                rs.getLong("sent"),
                rs.getLong("delivered"),
                rs.getLong("read"),
                rs.getLong("replied"),
                rs.getLong("failed"),
                rs.getLong("cancelled"),
                instant(rs, "first_sent_at"),
                instant(rs, "last_sent_at"),
                rs.getLong("peak_per_minute")))
        .single();
  }

  record FailureReason(String reason, long count) {}

  /** Why the campaign's messages failed, most frequent first. */
  List<FailureReason> failureReasons(TenantId tenant, UUID campaignId, int limit) {
    return jdbc.sql(
            """
            SELECT COALESCE(failure_reason, 'unknown') AS reason, count(*) AS n
            FROM analytics_campaign_message
            WHERE campaign_id = :campaign AND tenant_id = :tenant AND status = 'failed'
            GROUP BY 1 ORDER BY n DESC, reason LIMIT :limit
            """)
        .param("campaign", campaignId)
        .param("tenant", tenant.value())
        .param("limit", limit)
        .query((rs, row) -> new FailureReason(rs.getString("reason"), rs.getLong("n")))
        .list();
  }

  /** One recipient's message and how far it got. */
  record Recipient(
      UUID messageId,
      String chatId,
      String status,
      String failureReason,
      Instant queuedAt,
      Instant sentAt,
      Instant deliveredAt,
      Instant readAt,
      Instant repliedAt,
      Instant failedAt) {}

  /** The campaign's messages in the order they were queued. */
  List<Recipient> recipients(TenantId tenant, UUID campaignId, PageQuery page) {
    return jdbc.sql(
            """
            SELECT * FROM analytics_campaign_message
            WHERE campaign_id = :campaign AND tenant_id = :tenant
            ORDER BY message_id LIMIT :limit OFFSET :offset
            """)
        .param("campaign", campaignId)
        .param("tenant", tenant.value())
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query((rs, row) ->
            new Recipient(
                uuid(rs, "message_id"),
                rs.getString("chat_id"),
                rs.getString("status"),
                rs.getString("failure_reason"),
                instant(rs, "queued_at"),
                instant(rs, "sent_at"),
                instant(rs, "delivered_at"),
                instant(rs, "read_at"),
                instant(rs, "replied_at"),
                instant(rs, "failed_at")))
        .list();
  }
}
