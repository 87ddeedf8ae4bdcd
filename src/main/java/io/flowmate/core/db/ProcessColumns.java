package io.flowmate.core.db;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The two columns that tie a business row to its process instance, {@code process_instance_key}
 * and {@code engine_epoch} (the engine state the key lives in), and the statements every module
 * needs on them to re-create instances after the engine lost them. Each module keeps its own
 * table; this only spares it writing the same SQL again.
 */
public final class ProcessColumns {

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

  /** A WHERE condition for live rows whose instance is not of the {@code :epoch} parameter. */
  public String liveOutsideEpoch() {
    return "(" + live + ") AND engine_epoch IS DISTINCT FROM :epoch";
  }

  /** Takes a live row over for the epoch, unless another node or thread did first. */
  public boolean claimForEpoch(UUID id, String previousEpoch, String epoch) {
    return jdbc.sql(
                "UPDATE " + table + " SET engine_epoch = :epoch, process_instance_key = NULL"
                    + " WHERE id = :id AND (" + live + ") AND engine_epoch IS NOT DISTINCT FROM :previous")
            .param("id", id)
            .param("previous", previousEpoch)
            .param("epoch", epoch)
            .update()
        == 1;
  }

  /** Records the row's instance, or none (null key and epoch: to be started again). */
  public void attach(UUID id, Long processInstanceKey, String epoch) {
    jdbc.sql("UPDATE " + table + " SET process_instance_key = :key, engine_epoch = :epoch WHERE id = :id")
        .param("id", id)
        .param("key", processInstanceKey)
        .param("epoch", epoch)
        .update();
  }
}
