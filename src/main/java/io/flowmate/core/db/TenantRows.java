package io.flowmate.core.db;

import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import java.util.List;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The list every module's API offers over its own table: a tenant's rows, newest first, all of them
 * or those of one status, page by page, and how many there are. The table needs {@code tenant_id},
 * {@code status}, {@code created_at} and a time-ordered {@code id}. Each module keeps its own
 * table; this only spares it writing the same two statements again.
 */
public final class TenantRows {

  private final JdbcClient jdbc;
  private final String listSql;
  private final String countSql;

  /**
   * @param table the module's table
   */
  public TenantRows(JdbcClient jdbc, String table) {
    this.jdbc = jdbc;
    String where =
        " WHERE tenant_id = :tenant AND (CAST(:status AS text) IS NULL OR status = :status)";
    this.listSql =
        "SELECT * FROM "
            + table
            + where
            + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset";
    this.countSql = "SELECT count(*) FROM " + table + where;
  }

  /**
   * @param status the stored status value, or null for every status
   */
  public <T> List<T> list(TenantId tenant, String status, PageQuery page, RowMapper<T> row) {
    return jdbc.sql(listSql)
        .param("tenant", tenant.value())
        .param("status", status)
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query(row)
        .list();
  }

  /**
   * @param status the stored status value, or null for every status
   */
  public long count(TenantId tenant, String status) {
    return jdbc.sql(countSql)
        .param("tenant", tenant.value())
        .param("status", status)
        .query(Long.class)
        .single();
  }
}
