package io.flowmate.core.db;

import static io.flowmate.core.db.Sql.timestamp;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The columns of a row that runs on a schedule ({@code status}, {@code next_run_at}, {@code
 * last_run_at}, {@code run_count}, {@code updated_at}) and the one statement that moves it from one
 * occurrence to the next, shared by scheduled messages and scheduled reports. Each module keeps its
 * own table.
 */
public final class ScheduleColumns {

  private final JdbcClient jdbc;
  private final String advanceSql;

  /**
   * @param table the module's table
   */
  public ScheduleColumns(JdbcClient jdbc, String table) {
    this.jdbc = jdbc;
    this.advanceSql =
        """
        UPDATE %s
        SET next_run_at = :next,
          status = CASE WHEN CAST(:next AS timestamptz) IS NULL THEN 'completed' ELSE status END,
          last_run_at = CASE WHEN :ran THEN :occurrence ELSE last_run_at END,
          run_count = run_count + CASE WHEN :ran THEN 1 ELSE 0 END,
          updated_at = :now
        WHERE id = :id AND status = 'active' AND next_run_at = :occurrence
        """
            .formatted(table);
  }

  /**
   * Moves an active row from the occurrence its process waited for to the next one (null: none
   * left, the row is completed), unless an edit, pause or cancel changed it meanwhile.
   *
   * @param ran whether the occurrence was carried out, not merely recorded as missed
   * @return whether the row still waited for {@code occurrence}
   */
  public boolean advance(UUID id, Instant occurrence, Instant next, boolean ran, Instant now) {
    return jdbc.sql(advanceSql)
            .param("id", id)
            .param("occurrence", timestamp(occurrence))
            .param("next", timestamp(next))
            .param("ran", ran)
            .param("now", timestamp(now))
            .update()
        == 1;
  }
}
