package io.flowmate.core.db;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the embedded PostgreSQL die with its JVM. PostgreSQL runs as a process of its own, and a
 * JVM killed with {@code kill -9} or by the OOM killer runs no shutdown code, so a small shell loop
 * started next to it waits for the JVM to go and then asks PostgreSQL for a fast shutdown (SIGINT:
 * connections closed, a checkpoint, a clean stop). It acts only if the data directory's {@code
 * postmaster.pid} still names the PostgreSQL it was started for, so it never stops the PostgreSQL
 * of the next Flowmate. It ignores the terminal's Ctrl-C and hang-up (the JVM stops PostgreSQL
 * itself then) and is ended when Flowmate closes the database normally.
 *
 * <p>Needs {@code /bin/sh} (Linux, macOS). Elsewhere there is no watchdog, and a start that finds a
 * PostgreSQL left behind names its pid for the operator to stop.
 */
final class PostgresWatchdog {

  private static final Logger log = LoggerFactory.getLogger(PostgresWatchdog.class);
  private static final Path SHELL = Path.of("/bin/sh");

  /** $1 the JVM's pid, $2 the data directory, $3 the postmaster's pid. */
  private static final String SCRIPT =
      """
      trap '' INT HUP
      while kill -0 "$1" 2>/dev/null; do sleep 1; done
      read -r running < "$2/postmaster.pid" 2>/dev/null || exit 0
      if [ "$running" = "$3" ]; then kill -INT "$3"; fi
      """;

  private PostgresWatchdog() {}

  /** Whether this platform has the shell the watchdog and {@link #requestFastShutdown} need. */
  static boolean supported() {
    return Files.isExecutable(SHELL);
  }

  /**
   * Starts the watchdog of the postmaster; empty (and one log line) where the platform has none.
   */
  static Optional<Process> start(Path dataDirectory, long jvmPid, long postmasterPid) {
    if (!supported()) {
      log.info(
          "No {} on this platform: if this JVM is killed, the embedded PostgreSQL (pid {}) keeps"
              + " running until the next start stops it",
          SHELL,
          postmasterPid);
      return Optional.empty();
    }
    try {
      Process watchdog =
          new ProcessBuilder(
                  SHELL.toString(),
                  "-c",
                  SCRIPT,
                  "flowmate-postgres-watchdog",
                  Long.toString(jvmPid),
                  dataDirectory.toString(),
                  Long.toString(postmasterPid))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      return Optional.of(watchdog);
    } catch (IOException e) {
      log.warn(
          "Could not start the watchdog of the embedded PostgreSQL (pid {}): if this JVM is killed,"
              + " it keeps running until the next start stops it ({})",
          postmasterPid,
          e.toString());
      return Optional.empty();
    }
  }

  /**
   * Sends PostgreSQL's fast-shutdown signal (SIGINT) to the postmaster and waits up to {@code
   * timeout} for it to exit.
   *
   * @return whether it exited
   */
  static boolean requestFastShutdown(long postmasterPid, Duration timeout) {
    Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
    if (postmaster.isEmpty() || !postmaster.get().isAlive()) {
      return true;
    }
    if (!supported()) {
      return false;
    }
    try {
      Process kill =
          new ProcessBuilder(
                  SHELL.toString(), "-c", "kill -INT \"$1\"", "kill", Long.toString(postmasterPid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(10, TimeUnit.SECONDS);
      postmaster.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (IOException | ExecutionException e) {
      return !postmaster.get().isAlive();
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Ends a watchdog whose PostgreSQL was stopped normally. */
  static void stop(Process watchdog) {
    watchdog.descendants().forEach(ProcessHandle::destroy);
    watchdog.destroy();
  }
}
