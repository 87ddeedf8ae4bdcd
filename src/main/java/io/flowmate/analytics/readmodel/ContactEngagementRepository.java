package io.flowmate.analytics.readmodel;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the tenant's contacts from {@code analytics_contact}. A page orders the tenant's rows by
 * the chosen figure (the engagement score is computed in SQL by the same formula as {@link
 * ContactEngagementScore}); the counters change with every message, so they carry no index.
 */
@Repository
class ContactEngagementRepository {

  /** The orders a client may ask for, each highest first. */
  enum Sort {
    ENGAGEMENT_SCORE(ContactEngagementScore.SQL),
    MESSAGES_SENT("messages_sent"),
    MESSAGES_RECEIVED("messages_received"),
    REPLY_RATE("messages_replied::float8 / NULLIF(messages_sent, 0)"),
    LAST_MESSAGE_AT("GREATEST(last_sent_at, last_received_at)");

    final String expression;

    Sort(String expression) {
      this.expression = expression;
    }

    String value() {
      return name().toLowerCase();
    }
  }

  record ContactRow(
      String contactKey,
      UUID contactId,
      long messagesSent,
      long messagesReceived,
      long messagesRead,
      long messagesReplied,
      Instant lastSentAt,
      Instant lastReceivedAt) {}

  private final JdbcClient jdbc;

  ContactEngagementRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<ContactRow> page(TenantId tenant, Sort sort, Instant now, PageQuery page) {
    return jdbc.sql(
            """
            SELECT * FROM analytics_contact WHERE tenant_id = :tenant
            ORDER BY %s DESC NULLS LAST, contact_key LIMIT :limit OFFSET :offset
            """
                .formatted(sort.expression))
        .param("tenant", tenant.value())
        .param("now", timestamp(now))
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query((rs, row) ->
            new ContactRow(
                rs.getString("contact_key"),
                uuid(rs, "contact_id"),
                rs.getLong("messages_sent"),
                rs.getLong("messages_received"),
                rs.getLong("messages_read"),
                rs.getLong("messages_replied"),
                instant(rs, "last_sent_at"),
                instant(rs, "last_received_at")))
        .list();
  }

  long count(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM analytics_contact WHERE tenant_id = :tenant")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  /** The contact a messaging contact id was last seen as. */
  Optional<String> keyOf(TenantId tenant, UUID contactId) {
    return jdbc.sql(
            "SELECT contact_key FROM analytics_contact WHERE tenant_id = :tenant AND contact_id = :contact LIMIT 1")
        .param("tenant", tenant.value())
        .param("contact", contactId)
        .query(String.class)
        .optional();
  }
}
