package io.flowmate.support;

import io.flowmate.core.db.EmbeddedDatabaseSettings;
import io.flowmate.core.db.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.util.FileSystemUtils;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The real PostgreSQL integration tests run against, in order of preference: the local server on
 * 127.0.0.1:5432 (CI here has one; each test JVM gets databases of its own), a Testcontainers
 * PostgreSQL when a Docker engine answers, else an embedded PostgreSQL.
 *
 * <p>Test databases are not dropped at exit, where they would vanish under application contexts
 * still shutting down; each run drops instead the ones earlier runs left and nobody uses.
 */
public final class TestDatabase {

  private static final String LOCAL_HOST = "127.0.0.1";
  private static final int LOCAL_PORT = 5432;

  /** JDBC URL, user and password of a database for this test JVM. */
  public record Coordinates(String url, String username, String password) {
    public Map<String, Object> asProperties() {
      return Map.of(
          "spring.datasource.url", url,
          "spring.datasource.username", username,
          "spring.datasource.password", password);
    }
  }

  private static Coordinates server;

  private TestDatabase() {}

  /**
   * A new, empty database. Every application context gets its own, so that the schedulers of a
   * context cached for later test classes never work on another context's data.
   */
  public static synchronized Coordinates newDatabase() {
    if (server == null) {
      server = start();
      System.out.println("Integration tests use PostgreSQL at " + server.url());
      return server;
    }
    if (server.url().contains("//" + LOCAL_HOST + ":" + LOCAL_PORT + "/")) {
      return localDatabase();
    }
    // Containers and embedded servers: another database on the same server.
    // The creator's pid in the name tells a leftover (its JVM is gone) from a database another
    // build running on this machine at the same time is still using.
    String name =
        PREFIX
            + ProcessHandle.current().pid()
            + "_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c =
        DriverManager.getConnection(server.url(), server.username(), server.password())) {
      c.createStatement().execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new Coordinates(
        server.url().replaceAll("/[^/?]+(\\?.*)?$", "/" + name),
        server.username(),
        server.password());
  }

  private static Coordinates start() {
    // -Dflowmate.test.database=embedded (or docker) skips the local server, e.g. to try a fallback;
    // embedded-durable is the zero-set-up run's own PostgreSQL as it runs in production (durable
    // commits), for benchmarks: embedded is the library's defaults (fsync and synchronous commit
    // off).
    String choice = System.getProperty("flowmate.test.database", "auto");
    if (choice.equals("embedded-durable")) {
      return durableEmbedded();
    }
    if (choice.equals("auto") && localServerAnswers()) {
      dropLeftoverDatabases();
      return localDatabase();
    }
    if (!choice.equals("embedded") && DockerClientFactory.instance().isDockerAvailable()) {
      PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17-alpine");
      container.start();
      return new Coordinates(
          container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
      return new Coordinates(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
    } catch (IOException e) {
      throw new UncheckedIOException("No PostgreSQL for the integration tests", e);
    }
  }

  private static Coordinates durableEmbedded() {
    try {
      Path directory = Files.createTempDirectory("flowmate-durable-postgres");
      EmbeddedPostgresServer postgres =
          EmbeddedPostgresServer.start(
              new EmbeddedDatabaseSettings(directory, 0, "postgres", Duration.ofSeconds(60)));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> {
                try {
                  postgres.close();
                  FileSystemUtils.deleteRecursively(directory);
                } catch (IOException ignored) {
                  // shutting down anyway
                }
              }));
      return new Coordinates(
          postgres.postgres().getJdbcUrl("postgres", "postgres"), "postgres", "");
    } catch (IOException e) {
      throw new UncheckedIOException("No PostgreSQL for the integration tests", e);
    }
  }

  private static Coordinates localDatabase() {
    // The creator's pid in the name tells a leftover (its JVM is gone) from a database another
    // build running on this machine at the same time is still using.
    String name =
        PREFIX
            + ProcessHandle.current().pid()
            + "_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String admin = "jdbc:postgresql://" + LOCAL_HOST + ":" + LOCAL_PORT + "/postgres";
    try {
      Connection c = DriverManager.getConnection(admin, "postgres", "");
      c.createStatement().execute("CREATE DATABASE " + name);
      c.close();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create a test database on the local PostgreSQL", e);
    }
    return new Coordinates(
        "jdbc:postgresql://" + LOCAL_HOST + ":" + LOCAL_PORT + "/" + name, "postgres", "");
  }

  /** Drops the test databases of earlier runs; one still in use (a parallel build) stays. */
  private static final String PREFIX = "fmtest_";

  /** Whether the JVM that created the database (its pid is in the name) still runs. */
  private static boolean creatorIsAlive(String name) {
    try {
      long pid =
          Long.parseLong(name.substring(PREFIX.length(), name.indexOf('_', PREFIX.length())));
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (RuntimeException unexpectedName) {
      return true;
    }
  }

  private static void dropLeftoverDatabases() {
    String admin = "jdbc:postgresql://" + LOCAL_HOST + ":" + LOCAL_PORT + "/postgres";
    try (Connection c = DriverManager.getConnection(admin, "postgres", "")) {
      var names = new java.util.ArrayList<String>();
      var rs =
          c.createStatement()
              .executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'fmtest\\_%'");
      while (rs.next()) {
        String name = rs.getString(1);
        if (!creatorIsAlive(name)) {
          names.add(name);
        }
      }
      for (String name : names) {
        try {
          c.createStatement().execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException inUse) {
          // another test run is using it
        }
      }
    } catch (SQLException e) {
      // cleaning up is a courtesy; the tests do not depend on it
    }
  }

  private static boolean localServerAnswers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOCAL_HOST, LOCAL_PORT), 500);
    } catch (IOException e) {
      return false;
    }
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://" + LOCAL_HOST + ":" + LOCAL_PORT + "/postgres", "postgres", "")) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException ignored) {
      // shutting down anyway
    }
  }
}
