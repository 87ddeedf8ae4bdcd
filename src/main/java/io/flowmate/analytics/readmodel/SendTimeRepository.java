package io.flowmate.analytics.readmodel;

import io.flowmate.core.TenantId;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the send-time counters ({@code analytics_send_slot}), adding up the tenant's shards. */
@Repository
class SendTimeRepository {

  private final JdbcClient jdbc;

  SendTimeRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The tenant's slots ({@code contactKey} "") or one contact's, hours without messages left out.
   */
  List<SendTimeSlots.Counts> slots(TenantId tenant, String contactKey) {
    return jdbc.sql(
            """
            SELECT hour_of_week, sum(sent_count) AS sent, sum(read_count) AS read,
              sum(read_quickly_count) AS read_quickly, sum(replied_count) AS replied
            FROM analytics_send_slot WHERE tenant_id = :tenant AND contact_key = :contact
            GROUP BY hour_of_week ORDER BY hour_of_week
            """)
        .param("tenant", tenant.value())
        .param("contact", contactKey)
        .query((rs, row) ->
            new SendTimeSlots.Counts(
                rs.getInt("hour_of_week"),
                rs.getLong("sent"),
                rs.getLong("read"),
                rs.getLong("read_quickly"),
                rs.getLong("replied")))
        .list();
  }
}
