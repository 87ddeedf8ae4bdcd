package io.flowmate.core.db;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The columns that tie a business row to its process instance, {@code process_instance_key}, {@code
 * engine_epoch} (the engine state the key lives in) and {@code engine_claimed_at} (when the row was
 * last taken for an epoch; the database's clock), and the statements every module needs on them to
 * re-create instances after the engine lost them. Each module keeps its own table; this only spares
 * it writing the same SQL again.
 *
 * <p>A row of the current epoch that still has no instance key after {@link #START_GRACE} lost its
 * start (the node crashed between writing the row and starting the process, or between starting it
 * and recording the key): it is taken and started again, in both engine modes. A remote cluster
 * keeps its epoch across restarts, so nothing else would ever pick such a row up.
 */
public final class ProcessColumns {

  /** How long a start may take before a row without an instance key counts as lost. */
  public static final Duration START_GRACE = Duration.ofMinutes(2);

  /** A row whose instance is of another epoch, or whose start of this epoch was lost. */
  private static final String OUTSIDE =
      "(engine_epoch IS DISTINCT FROM :epoch OR (process_instance_key IS NULL"
          + " AND engine_claimed_at < now() - make_interval(secs => :grace)))";

  private final JdbcClient jdbc;
  private final String table;
  private final String live;

  /**
   * @param table the module's table
   * @param live the SQL condition of rows that should have a live instance, e.g. {@code status =
   *     'waiting'}
   */
  public ProcessColumns(JdbcClient jdbc, String table, String live) {
    this.jdbc = jdbc;
    this.table = table;
    this.live = live;
  }

  /**
   * Up to {@code limit} live rows whose instance is not of {@code epoch} (or that have none), or
   * whose start of this epoch was lost, in id order (ids are time-ordered: the oldest first).
   */
  public <T> List<T> liveOutside(String epoch, int limit, RowMapper<T> row) {
    return jdbc.sql(
            "SELECT * FROM "
                + table
                + " WHERE ("
                + live
                + ") AND "
                + OUTSIDE
                + " ORDER BY id LIMIT :limit")
        .param("epoch", epoch)
        .param("grace", START_GRACE.toSeconds())
        .param("limit", limit)
        .query(row)
        .list();
  }

  /**
   * Takes a live row over for the epoch, unless another node or thread did first (or its start of
   * this epoch is still within the grace period).
   */
  public boolean claimForEpoch(UUID id, String previousEpoch, String epoch) {
    return jdbc.sql(
                "UPDATE "
                    + table
                    + " SET engine_epoch = :epoch, process_instance_key = NULL,"
                    + " engine_claimed_at = now() WHERE id = :id AND ("
                    + live
                    + ")"
                    + " AND engine_epoch IS NOT DISTINCT FROM :previous AND "
                    + OUTSIDE)
            .param("id", id)
            .param("previous", previousEpoch)
            .param("epoch", epoch)
            .param("grace", START_GRACE.toSeconds())
            .update()
        == 1;
  }

  /**
   * Records the row's instance, or none (null key and epoch: to be started again). The instance is
   * only recorded while the row is still claimed for its epoch: a short process can finish, and
   * release the row, before its start is recorded, and must not be marked running after that.
   */
  public void attach(UUID id, Long processInstanceKey, String epoch) {
    jdbc.sql(
            "UPDATE "
                + table
                + " SET process_instance_key = :key, engine_epoch = :epoch"
                + " WHERE id = :id AND (CAST(:epoch AS text) IS NULL OR engine_epoch = :epoch)")
        .param("id", id)
        .param("key", processInstanceKey)
        .param("epoch", epoch)
        .update();
  }
}
