package io.flowmate.core.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Flowmate in a JVM of its own, for the crash tests: it starts the embedded PostgreSQL on a data
 * directory through the real code ({@link EmbeddedPostgresServer#start}), then commits the rows the
 * test asks for, one transaction each, and answers once each is committed. The test kills it like
 * an operator's {@code kill -9}. If the test JVM goes away (its stdin ends), it stops normally.
 */
final class EmbeddedPostgresOwner implements AutoCloseable {

  private static final String ANSWER = "owner> ";

  private final Process process;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final List<String> output = new ArrayList<>();
  private final long postmasterPid;

  private EmbeddedPostgresOwner(Process process) {
    this.process = process;
    Thread.ofVirtual().start(this::readOutput);
    this.postmasterPid = Long.parseLong(answer("ready").split(" ")[1]);
  }

  /** Starts the owner JVM and waits until its PostgreSQL accepts connections. */
  static EmbeddedPostgresOwner start(Path dataDirectory) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedPostgresOwner.class.getName(),
                dataDirectory.toString())
            .redirectErrorStream(true)
            .start();
    return new EmbeddedPostgresOwner(process);
  }

  long pid() {
    return process.pid();
  }

  long postmasterPid() {
    return postmasterPid;
  }

  /** Commits a row with this number and returns once it is committed. */
  void commit(int row) {
    try {
      process.outputWriter().write("commit " + row + "\n");
      process.outputWriter().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    answer("committed " + row);
  }

  /** Kills the watchdog this Flowmate started: as on a platform that has none. */
  void killWatchdog() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.descendants().forEach(p -> p.onExit().join());
  }

  /** {@code kill -9} of this Flowmate's JVM only. */
  void killJvm() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** {@code kill -9} of everything at once: this JVM, its watchdog, PostgreSQL and its backends. */
  void killEverything() throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>();
    ProcessHandle.of(postmasterPid).ifPresent(all::add);
    ProcessHandle.of(postmasterPid).ifPresent(p -> p.descendants().forEach(all::add));
    process.descendants().forEach(all::add);
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    all.forEach(p -> p.onExit().join());
  }

  private String answer(String expected) {
    try {
      String answer = answers.poll(90, TimeUnit.SECONDS);
      if (answer == null || !answer.startsWith(expected)) {
        throw new IllegalStateException(
            "The owner JVM answered %s instead of %s; its output:%n%s"
                .formatted(answer, expected, String.join("\n", output)));
      }
      return answer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void readOutput() {
    try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith(ANSWER)) {
          answers.add(line.substring(ANSWER.length()));
        }
      }
    } catch (IOException e) {
      // The process was killed.
    } finally {
      answers.add("exited");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** The owner JVM: args[0] is the data directory. */
  public static void main(String[] args) throws Exception {
    EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(
            new EmbeddedDatabaseSettings(Path.of(args[0]), 0, "flowmate", Duration.ofSeconds(60)));
    try (Connection connection = server.postgres().getPostgresDatabase().getConnection()) {
      connection.createStatement().execute("CREATE TABLE IF NOT EXISTS crash_test (n int)");
      System.out.println(ANSWER + "ready " + server.postmasterPid());
      BufferedReader commands =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String command = commands.readLine(); command != null; command = commands.readLine()) {
        int row = Integer.parseInt(command.substring("commit ".length()));
        insert(connection, row);
        System.out.println(ANSWER + "committed " + row);
      }
    } finally {
      server.close();
    }
  }

  private static void insert(Connection connection, int row) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO crash_test (n) VALUES (?)")) {
      insert.setInt(1, row);
      insert.executeUpdate();
    }
  }
}
