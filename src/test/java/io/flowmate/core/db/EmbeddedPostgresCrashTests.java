package io.flowmate.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL after its Flowmate crashed. Each test runs a Flowmate stand-in in a JVM
 * of its own ({@link EmbeddedPostgresOwner}) that starts PostgreSQL through the real code and
 * commits rows, kills it, then starts again on the same data directory through the real
 * configuration, as the next {@code ./mvnw spring-boot:run} would.
 */
class EmbeddedPostgresCrashTests {

  @TempDir Path data;

  private final EmbeddedPostgresConfiguration configuration = new EmbeddedPostgresConfiguration();

  /**
   * {@code kill -9} of the JVM where no watchdog stops PostgreSQL with it: the PostgreSQL left
   * running used to lock the next start out. It is stopped cleanly and started again.
   */
  @Test
  void aPostgresLeftRunningByAKilledFlowmateIsStoppedByTheNextStart() throws Exception {
    long leftover;
    try (EmbeddedPostgresOwner owner = EmbeddedPostgresOwner.start(data)) {
      owner.commit(1);
      leftover = owner.postmasterPid();
      owner.killWatchdog();
      owner.killJvm();
    }
    assertThat(isAlive(leftover)).as("PostgreSQL outlives its killed JVM").isTrue();

    try (EmbeddedPostgresServer next = configuration.embeddedPostgres(settings())) {
      assertThat(isAlive(leftover)).isFalse();
      assertThat(next.postmasterPid()).isNotEqualTo(leftover);
      assertThat(rows(next)).containsExactly(1);
    }
  }

  /** {@code kill -9} of the JVM: its watchdog stops PostgreSQL, no leftover at all. */
  @Test
  void theWatchdogStopsPostgresWhenItsFlowmateIsKilled() throws Exception {
    long postmaster;
    try (EmbeddedPostgresOwner owner = EmbeddedPostgresOwner.start(data)) {
      owner.commit(1);
      postmaster = owner.postmasterPid();
      owner.killJvm();
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(isAlive(postmaster)).isFalse());

    try (EmbeddedPostgresServer next = configuration.embeddedPostgres(settings())) {
      assertThat(rows(next)).containsExactly(1);
    }
  }

  /** A second Flowmate on the directory of a running one is refused, both pids named. */
  @Test
  void aDirectoryInUseByARunningFlowmateIsRefusedNamingItsPids() throws Exception {
    try (EmbeddedPostgresOwner owner = EmbeddedPostgresOwner.start(data)) {
      assertThatThrownBy(() -> configuration.embeddedPostgres(settings()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another Flowmate that is still running")
          .hasMessageContaining("(pid " + owner.pid() + ")")
          .hasMessageContaining("PostgreSQL runs as pid " + owner.postmasterPid())
          .hasMessageContaining(data.toAbsolutePath().toString());
      assertThat(isAlive(owner.postmasterPid())).as("the running one is left alone").isTrue();
      owner.commit(1);
    }
  }

  /**
   * JVM and PostgreSQL killed together (OOM kill, {@code docker kill}, power cut): every commit
   * PostgreSQL acknowledged is there after the restart. With the library's defaults (fsync off,
   * {@code synchronous_commit=off}) the last ones were lost, and an outbox claim lost is a message
   * sent twice.
   */
  @Test
  void everyAcknowledgedCommitSurvivesKillingFlowmateAndPostgresTogether() throws Exception {
    List<Integer> acknowledged = new ArrayList<>();
    try (EmbeddedPostgresOwner owner = EmbeddedPostgresOwner.start(data)) {
      IntStream.rangeClosed(1, 50)
          .forEach(row -> {
            owner.commit(row);
            acknowledged.add(row);
          });
      owner.killEverything();
    }

    try (EmbeddedPostgresServer next = configuration.embeddedPostgres(settings())) {
      assertThat(rows(next)).containsExactlyElementsOf(acknowledged);
      assertThat(setting(next, "fsync")).isEqualTo("on");
      assertThat(setting(next, "synchronous_commit")).isEqualTo("on");
      assertThat(setting(next, "full_page_writes")).isEqualTo("on");
    }
  }

  /**
   * After a power cut and a reboot, {@code postmaster.pid} names a pid that another program of the
   * same user now has; PostgreSQL itself would refuse to start ("lock file already exists"). The
   * start sees that the process is not the PostgreSQL that wrote the file and removes it.
   */
  @Test
  void aPostmasterPidThatNowNamesAnotherProgramDoesNotLockTheStartOut() throws Exception {
    configuration.embeddedPostgres(settings()).close();
    Process otherProgram = new ProcessBuilder("sleep", "120").start();
    try {
      Files.writeString(
          data.resolve("postmaster.pid"),
          String.join(
              "\n",
              Long.toString(otherProgram.pid()),
              data.toAbsolutePath().toString(),
              Long.toString(Instant.now().minus(Duration.ofDays(1)).getEpochSecond()),
              "5432",
              "/tmp",
              "127.0.0.1",
              "  1234567     98304",
              "ready   ",
              ""));

      try (EmbeddedPostgresServer next = configuration.embeddedPostgres(settings())) {
        assertThat(setting(next, "port")).isEqualTo(Integer.toString(next.postgres().getPort()));
        assertThat(otherProgram.isAlive()).as("the other program is left alone").isTrue();
      }
    } finally {
      otherProgram.destroyForcibly();
    }
  }

  private EmbeddedDatabaseSettings settings() {
    return new EmbeddedDatabaseSettings(data, 0, "flowmate", Duration.ofSeconds(60));
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static List<Integer> rows(EmbeddedPostgresServer server) throws SQLException {
    try (Connection connection = server.postgres().getPostgresDatabase().getConnection();
        ResultSet result =
            connection.createStatement().executeQuery("SELECT n FROM crash_test ORDER BY n")) {
      List<Integer> rows = new ArrayList<>();
      while (result.next()) {
        rows.add(result.getInt(1));
      }
      return rows;
    }
  }

  static String setting(EmbeddedPostgresServer server, String name) throws SQLException {
    try (Connection connection = server.postgres().getPostgresDatabase().getConnection();
        ResultSet result = connection.createStatement().executeQuery("SHOW " + name)) {
      result.next();
      return result.getString(1);
    }
  }
}
