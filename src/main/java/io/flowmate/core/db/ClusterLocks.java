package io.flowmate.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Work that must run on one Flowmate instance at a time, however many share the database: a loop
 * over every row of a table whose steps are not claimed row by row (re-creating lost process
 * instances, for one). A PostgreSQL advisory lock, taken with {@code pg_try_advisory_xact_lock} in
 * a transaction of its own connection that lasts as long as the work: whoever finds it taken skips
 * the run instead of waiting, and a crashed holder's lock goes with its connection.
 *
 * <p>The work does its own writes through the usual pool (each committed as it goes): the lock's
 * transaction writes nothing, so a crash half way loses no step already done. Each holder keeps one
 * pooled connection for the duration.
 */
@Component
public class ClusterLocks {

  private final DataSource dataSource;

  ClusterLocks(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Runs the work unless another instance (or thread) runs work of the same name right now.
   *
   * @return the work's result, or empty when it was not run
   */
  public <T> Optional<T> exclusively(String name, Supplier<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        if (!tryLock(connection, name)) {
          return Optional.empty();
        }
        return Optional.ofNullable(work.get());
      } finally {
        // Ends the transaction, and with it the lock.
        connection.rollback();
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new DataAccessResourceFailureException("Could not take the lock '" + name + "'", e);
    }
  }

  private static boolean tryLock(Connection connection, String name) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement(
            "SELECT pg_try_advisory_xact_lock(hashtext('flowmate.exclusive'), hashtext(?))")) {
      lock.setString(1, name);
      try (ResultSet rs = lock.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
