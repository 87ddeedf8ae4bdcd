package io.flowmate.core.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one Flowmate: started on its data directory, durable, owned by this
 * JVM, and stopped last.
 *
 * <ul>
 *   <li><b>Durable.</b> The library's defaults are made for throw-away test databases: {@code -F}
 *       (fsync off) and {@code synchronous_commit=off}. Here a commit must survive a power cut (the
 *       outbox records a message as claimed before it goes to WhatsApp; a lost claim is a message
 *       sent twice), so fsync, synchronous commit and full-page writes are set on explicitly;
 *       {@code -c} options come after {@code -F} and win.
 *   <li><b>A leftover is cleared.</b> A PostgreSQL still running on the directory whose Flowmate is
 *       gone (killed with {@code kill -9}, no watchdog) is asked for a fast shutdown before this
 *       start; one whose Flowmate still runs is refused with both pids named.
 *   <li><b>It dies with the JVM.</b> A {@link PostgresWatchdog} stops it if the JVM is killed.
 *   <li><b>Stopped last.</b> The library's own shutdown hook is off: it ran concurrently with
 *       Spring's and stopped PostgreSQL while the application was still writing to it. {@link
 *       #close()} runs as the last bean's destroy, after the connection pool is closed.
 * </ul>
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /** How long a fast shutdown (connections closed, one checkpoint) may take. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;
  private final PostgresDataDirectory directory;
  private final long postmasterPid;
  private final Optional<Process> watchdog;

  private EmbeddedPostgresServer(
      EmbeddedPostgres postgres,
      PostgresDataDirectory directory,
      long postmasterPid,
      Optional<Process> watchdog) {
    this.postgres = postgres;
    this.directory = directory;
    this.postmasterPid = postmasterPid;
    this.watchdog = watchdog;
  }

  /**
   * Starts PostgreSQL on the settings' data directory, after stopping one that a dead Flowmate left
   * running there.
   *
   * @throws IllegalStateException if another running Flowmate uses the directory, or PostgreSQL
   *     does not start
   */
  public static EmbeddedPostgresServer start(EmbeddedDatabaseSettings settings) {
    Path path = settings.dataDirectory().toAbsolutePath();
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new IllegalStateException("Could not create " + path, e);
    }
    PostgresDataDirectory directory = new PostgresDataDirectory(path);
    clearLeftover(directory);
    EmbeddedPostgres postgres;
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(path)
              .setCleanDataDirectory(false)
              .setPort(settings.port())
              .setPGStartupWait(settings.startTimeout())
              .setRegisterShutdownHook(false)
              // It trusts every connection without a password: loopback only, whatever the data
              // directory's postgresql.conf says (PostgreSQL's own default, 'localhost', is a
              // name).
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          ("Embedded PostgreSQL could not start in %s within %s. Its own messages are logged with"
                  + " logging.level.io.zonky.test.db.postgres=INFO. Or set"
                  + " flowmate.db.embedded.data-directory, or point FLOWMATE_DB_URL at a PostgreSQL"
                  + " server")
              .formatted(path, settings.startTimeout()),
          e);
    }
    long jvm = ProcessHandle.current().pid();
    long postmaster =
        directory
            .postmaster()
            .map(PostgresDataDirectory.Postmaster::pid)
            .orElseThrow(() -> new IllegalStateException("PostgreSQL wrote no postmaster.pid"));
    directory.recordOwner(jvm, postmaster, postgres.getPort());
    Optional<Process> watchdog = PostgresWatchdog.start(path, jvm, postmaster);
    log.info(
        "Embedded PostgreSQL (pid {}) runs on 127.0.0.1:{} with its data in {}",
        postmaster,
        postgres.getPort(),
        path);
    return new EmbeddedPostgresServer(postgres, directory, postmaster, watchdog);
  }

  /**
   * Makes the directory free for a new PostgreSQL: refuses if a running Flowmate holds it, stops a
   * PostgreSQL whose Flowmate is gone, forgets a {@code postmaster.pid} whose pid is now another
   * program's.
   */
  private static void clearLeftover(PostgresDataDirectory directory) {
    if (directory.isHeldByARunningFlowmate()) {
      throw new IllegalStateException(inUseMessage(directory));
    }
    switch (directory.postmasterState()) {
      case NONE, UNKNOWN -> {
        // Nothing runs on it (PostgreSQL recovers from its WAL if it crashed), or PostgreSQL's
        // own check decides.
      }
      case STALE -> {
        log.info(
            "{}/postmaster.pid names a process that is not the PostgreSQL that wrote it (after a"
                + " reboot?); removing the stale file",
            directory.path());
        directory.forgetStalePostmaster();
      }
      case RUNNING -> stopLeftover(directory);
    }
  }

  private static void stopLeftover(PostgresDataDirectory directory) {
    long postmaster = directory.postmaster().orElseThrow().pid();
    String owner =
        directory
            .owner()
            .filter(o -> o.postmasterPid() == postmaster)
            .map(o -> "a Flowmate that is no longer running (pid " + o.flowmatePid() + ")")
            .orElse("a Flowmate that is no longer running");
    String stopIt =
        "Stop it (kill -INT %d, or pg_ctl stop -m fast -D %s) and start Flowmate again"
            .formatted(postmaster, directory.path());
    if (!PostgresWatchdog.supported()) {
      throw new IllegalStateException(
          "PostgreSQL (pid %d) still runs in %s, left by %s; this platform has no /bin/sh to stop it. %s"
              .formatted(postmaster, directory.path(), owner, stopIt));
    }
    log.warn(
        "Embedded PostgreSQL (pid {}) is still running in {}, left by {}; stopping it (fast"
            + " shutdown) before starting again",
        postmaster,
        directory.path(),
        owner);
    if (!PostgresWatchdog.requestFastShutdown(postmaster, STOP_TIMEOUT)) {
      throw new IllegalStateException(
          "PostgreSQL (pid %d) still runs in %s, left by %s, and did not stop within %s. %s"
              .formatted(postmaster, directory.path(), owner, STOP_TIMEOUT, stopIt));
    }
    log.info("Leftover PostgreSQL (pid {}) stopped", postmaster);
  }

  private static String inUseMessage(PostgresDataDirectory directory) {
    String flowmate =
        directory
            .owner()
            .filter(o -> isAlive(o.flowmatePid()))
            .map(o -> " (pid " + o.flowmatePid() + ")")
            .orElse("");
    String postmaster =
        directory
            .postmaster()
            .filter(p -> isAlive(p.pid()))
            .map(p -> " Its PostgreSQL runs as pid " + p.pid() + ".")
            .orElse("");
    return ("The embedded PostgreSQL's data directory %s is in use by another Flowmate that is"
            + " still running%s.%s Stop that Flowmate first, or give this one another"
            + " flowmate.db.embedded.data-directory, or point FLOWMATE_DB_URL at a PostgreSQL"
            + " server.")
        .formatted(directory.path(), flowmate, postmaster);
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  public EmbeddedPostgres postgres() {
    return postgres;
  }

  public long postmasterPid() {
    return postmasterPid;
  }

  /**
   * Stops PostgreSQL (fast shutdown), then the watchdog. If PostgreSQL has not exited by then, the
   * watchdog stays to stop it when this JVM exits.
   */
  @Override
  public void close() throws IOException {
    postgres.close();
    boolean stopped =
        !isAlive(postmasterPid)
            || PostgresWatchdog.requestFastShutdown(postmasterPid, STOP_TIMEOUT);
    if (!stopped) {
      log.warn(
          "Embedded PostgreSQL (pid {}) did not stop within {}; its watchdog stops it when this"
              + " JVM exits",
          postmasterPid,
          STOP_TIMEOUT);
      return;
    }
    watchdog.ifPresent(PostgresWatchdog::stop);
    directory.forgetOwner();
  }
}
