package io.flowmate.analytics.readmodel;

import static io.flowmate.core.db.Sql.timestampText;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Writes the read models: one statement per transaction for everything it changed (campaign
 * messages, contacts, send-time slots), whatever the number of messages.
 *
 * <p>The whole tenant's send-time counters would be one hot row per hour that every writer of a
 * busy tenant updates; they are spread over {@link #SHARDS} rows per hour (by writer thread) and
 * added up when read, so that concurrent transactions do not queue behind each other's commits.
 */
@Repository
class AnalyticsReadModelRepository {

  static final int SHARDS = 16;

  private final JdbcClient jdbc;

  AnalyticsReadModelRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Adds the deltas to the read models in the current transaction. */
  void apply(AnalyticsDeltas deltas, int shard) {
    if (deltas.isEmpty()) {
      return;
    }
    List<AnalyticsDeltas.CampaignMessage> messages = deltas.campaignMessages();
    List<AnalyticsDeltas.Contact> contacts = deltas.contacts();
    List<AnalyticsDeltas.Slot> slots = deltas.slots();
    // Rows go in the order given (sorted by key): transactions lock them in the same order.
    jdbc.sql(
            """
            WITH contacts AS (
              INSERT INTO analytics_contact AS c (tenant_id, contact_key, contact_id, messages_sent,
                messages_received, messages_read, messages_replied, last_sent_at, last_received_at)
              SELECT * FROM unnest(CAST(:cTenants AS uuid[]), CAST(:cKeys AS text[]), CAST(:cIds AS uuid[]),
                CAST(:cSent AS int[]), CAST(:cReceived AS int[]), CAST(:cRead AS int[]), CAST(:cReplied AS int[]),
                CAST(:cLastSent AS timestamptz[]), CAST(:cLastReceived AS timestamptz[]))
              ON CONFLICT (tenant_id, contact_key) DO UPDATE SET
                contact_id = COALESCE(EXCLUDED.contact_id, c.contact_id),
                messages_sent = c.messages_sent + EXCLUDED.messages_sent,
                messages_received = c.messages_received + EXCLUDED.messages_received,
                messages_read = c.messages_read + EXCLUDED.messages_read,
                messages_replied = c.messages_replied + EXCLUDED.messages_replied,
                last_sent_at = GREATEST(c.last_sent_at, EXCLUDED.last_sent_at),
                last_received_at = GREATEST(c.last_received_at, EXCLUDED.last_received_at)
            ),
            slots AS (
              INSERT INTO analytics_send_slot AS s (tenant_id, contact_key, hour_of_week, shard, sent_count,
                read_count, read_quickly_count, replied_count)
              SELECT * FROM unnest(CAST(:sTenants AS uuid[]), CAST(:sKeys AS text[]), CAST(:sHours AS smallint[]),
                CAST(:sShards AS smallint[]), CAST(:sSent AS int[]), CAST(:sRead AS int[]),
                CAST(:sQuick AS int[]), CAST(:sReplied AS int[]))
              ON CONFLICT (tenant_id, contact_key, hour_of_week, shard) DO UPDATE SET
                sent_count = s.sent_count + EXCLUDED.sent_count,
                read_count = s.read_count + EXCLUDED.read_count,
                read_quickly_count = s.read_quickly_count + EXCLUDED.read_quickly_count,
                replied_count = s.replied_count + EXCLUDED.replied_count
            )
            INSERT INTO analytics_campaign_message AS m (message_id, tenant_id, campaign_id, chat_id, status,
              progress, failure_reason, queued_at, sent_at, delivered_at, read_at, replied_at, failed_at)
            SELECT * FROM unnest(CAST(:mIds AS uuid[]), CAST(:mTenants AS uuid[]), CAST(:mCampaigns AS uuid[]),
              CAST(:mChats AS text[]), CAST(:mStatuses AS text[]), CAST(:mProgress AS smallint[]),
              CAST(:mReasons AS text[]), CAST(:mQueued AS timestamptz[]), CAST(:mSent AS timestamptz[]),
              CAST(:mDelivered AS timestamptz[]), CAST(:mRead AS timestamptz[]), CAST(:mReplied AS timestamptz[]),
              CAST(:mFailed AS timestamptz[]))
            ON CONFLICT (message_id) DO UPDATE SET
              status = CASE WHEN EXCLUDED.progress > m.progress THEN EXCLUDED.status ELSE m.status END,
              progress = GREATEST(m.progress, EXCLUDED.progress),
              failure_reason = CASE WHEN EXCLUDED.progress > m.progress
                THEN COALESCE(EXCLUDED.failure_reason, m.failure_reason)
                ELSE COALESCE(m.failure_reason, EXCLUDED.failure_reason) END,
              queued_at = LEAST(m.queued_at, EXCLUDED.queued_at),
              sent_at = LEAST(m.sent_at, EXCLUDED.sent_at),
              delivered_at = LEAST(m.delivered_at, EXCLUDED.delivered_at),
              read_at = LEAST(m.read_at, EXCLUDED.read_at),
              replied_at = LEAST(m.replied_at, EXCLUDED.replied_at),
              failed_at = LEAST(m.failed_at, EXCLUDED.failed_at)
            """)
        .param("cTenants", column(contacts, c -> c.tenantId.value(), java.util.UUID[]::new))
        .param("cKeys", column(contacts, c -> c.contactKey, String[]::new))
        .param("cIds", column(contacts, c -> c.contactId, java.util.UUID[]::new))
        .param("cSent", column(contacts, c -> c.sent, Integer[]::new))
        .param("cReceived", column(contacts, c -> c.received, Integer[]::new))
        .param("cRead", column(contacts, c -> c.read, Integer[]::new))
        .param("cReplied", column(contacts, c -> c.replied, Integer[]::new))
        .param("cLastSent", column(contacts, c -> timestampText(c.lastSentAt), String[]::new))
        .param(
            "cLastReceived", column(contacts, c -> timestampText(c.lastReceivedAt), String[]::new))
        .param("sTenants", column(slots, s -> s.tenantId.value(), java.util.UUID[]::new))
        .param("sKeys", column(slots, s -> s.contactKey, String[]::new))
        .param("sHours", column(slots, s -> s.hourOfWeek, Integer[]::new))
        .param("sShards", column(slots, s -> s.contactKey.isEmpty() ? shard : 0, Integer[]::new))
        .param("sSent", column(slots, s -> s.sent, Integer[]::new))
        .param("sRead", column(slots, s -> s.read, Integer[]::new))
        .param("sQuick", column(slots, s -> s.readQuickly, Integer[]::new))
        .param("sReplied", column(slots, s -> s.replied, Integer[]::new))
        .param("mIds", column(messages, m -> m.messageId, java.util.UUID[]::new))
        .param("mTenants", column(messages, m -> m.tenantId.value(), java.util.UUID[]::new))
        .param("mCampaigns", column(messages, m -> m.campaignId, java.util.UUID[]::new))
        .param("mChats", column(messages, m -> m.chatId, String[]::new))
        .param("mStatuses", column(messages, m -> m.step.value(), String[]::new))
        .param("mProgress", column(messages, m -> m.step.progress, Integer[]::new))
        .param("mReasons", column(messages, m -> m.failureReason, String[]::new))
        .param("mQueued", column(messages, m -> timestampText(m.queuedAt), String[]::new))
        .param("mSent", column(messages, m -> timestampText(m.sentAt), String[]::new))
        .param("mDelivered", column(messages, m -> timestampText(m.deliveredAt), String[]::new))
        .param("mRead", column(messages, m -> timestampText(m.readAt), String[]::new))
        .param("mReplied", column(messages, m -> timestampText(m.repliedAt), String[]::new))
        .param("mFailed", column(messages, m -> timestampText(m.failedAt), String[]::new))
        .update();
  }

  /** Empties every read model (before a rebuild). */
  void clear() {
    jdbc.sql("DELETE FROM analytics_campaign_message").update();
    jdbc.sql("DELETE FROM analytics_contact").update();
    jdbc.sql("DELETE FROM analytics_send_slot").update();
  }

  /**
   * Keeps every writer out until the current transaction ends, and waits for those writing now: a
   * rebuild then reads every message whose change was written here, and no other.
   */
  void lockForRebuild() {
    jdbc.sql(
            "LOCK TABLE analytics_campaign_message, analytics_contact, analytics_send_slot IN EXCLUSIVE MODE")
        .update();
  }

  /** When the read models were last built from the stored messages, if ever. */
  java.util.Optional<Instant> rebuiltAt() {
    return jdbc.sql("SELECT rebuilt_at FROM analytics_rebuild")
        .query((rs, row) -> io.flowmate.core.db.Sql.instant(rs, "rebuilt_at"))
        .optional();
  }

  void markRebuilt(Instant at, long messages) {
    jdbc.sql(
            """
            INSERT INTO analytics_rebuild (id, rebuilt_at, messages) VALUES (true, :at, :messages)
            ON CONFLICT (id) DO UPDATE SET rebuilt_at = EXCLUDED.rebuilt_at, messages = EXCLUDED.messages
            """)
        .param("at", io.flowmate.core.db.Sql.timestamp(at))
        .param("messages", messages)
        .update();
  }

  private static <R, T> T[] column(List<R> rows, Function<R, T> value, IntFunction<T[]> array) {
    return rows.stream().map(value).toArray(array);
  }
}
