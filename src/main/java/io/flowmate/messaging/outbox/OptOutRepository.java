package io.flowmate.messaging.outbox;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** People who asked the tenant to stop messaging them, by phone number or linked id. */
@Repository
public class OptOutRepository {

  record OptOut(String address, String keyword, UUID messageId, Instant optedOutAt) {}

  private final JdbcClient jdbc;

  OptOutRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void add(TenantId tenant, String address, String keyword, UUID messageId, Instant at) {
    jdbc.sql(
            """
            INSERT INTO messaging_opt_out (tenant_id, address, keyword, message_id, opted_out_at)
            VALUES (:tenant, :address, :keyword, :message, :at) ON CONFLICT DO NOTHING
            """)
        .param("tenant", tenant.value())
        .param("address", address)
        .param("keyword", keyword)
        .param("message", messageId)
        .param("at", timestamp(at))
        .update();
  }

  /** Which of these addresses opted out. */
  java.util.Set<String> among(TenantId tenant, Collection<String> addresses) {
    if (addresses.isEmpty()) {
      return java.util.Set.of();
    }
    return new java.util.HashSet<>(
        jdbc.sql(
                "SELECT address FROM messaging_opt_out WHERE tenant_id = :tenant AND address = ANY(:addresses)")
            .param("tenant", tenant.value())
            .param("addresses", addresses.toArray(String[]::new))
            .query(String.class)
            .list());
  }

  List<OptOut> list(TenantId tenant, PageQuery page) {
    return jdbc.sql(
            "SELECT * FROM messaging_opt_out WHERE tenant_id = :tenant ORDER BY opted_out_at DESC"
                + " LIMIT :limit OFFSET :offset")
        .param("tenant", tenant.value())
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query((rs, row) ->
            new OptOut(
                rs.getString("address"),
                rs.getString("keyword"),
                uuid(rs, "message_id"),
                instant(rs, "opted_out_at")))
        .list();
  }

  long count(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM messaging_opt_out WHERE tenant_id = :tenant")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  boolean remove(TenantId tenant, String address) {
    return jdbc.sql(
                "DELETE FROM messaging_opt_out WHERE tenant_id = :tenant AND address = :address")
            .param("tenant", tenant.value())
            .param("address", address)
            .update()
        == 1;
  }
}
