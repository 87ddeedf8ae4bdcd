package io.flowmate.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Zero set-up: when no datasource URL is configured, run a real PostgreSQL (binaries from Maven)
 * inside the application's lifetime, its data directory kept under {@code ./data/postgres}, so that
 * a first {@code ./mvnw spring-boot:run} has a database and the next run finds its data again. It
 * listens on 127.0.0.1 only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
@EnableConfigurationProperties(EmbeddedDatabaseSettings.class)
class EmbeddedPostgresConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseSettings settings) throws IOException {
    var dataDirectory = settings.dataDirectory().toAbsolutePath();
    Files.createDirectories(dataDirectory);
    log.info(
        "No spring.datasource.url / FLOWMATE_DB_URL configured: starting embedded PostgreSQL"
            + " with its data in {}",
        dataDirectory);
    try {
      return EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setPort(settings.port())
          // It trusts every connection without a password: loopback only, whatever the data
          // directory's postgresql.conf says (PostgreSQL's own default, 'localhost', is a name).
          .setServerConfig("listen_addresses", "127.0.0.1")
          .start();
    } catch (IOException | IllegalStateException e) {
      throw new IllegalStateException(
          "Embedded PostgreSQL could not start in %s (is another Flowmate using this directory?"
                  .formatted(dataDirectory)
              + " Stop it, or set flowmate.db.embedded.data-directory, or point FLOWMATE_DB_URL at"
              + " a PostgreSQL server)",
          e);
    }
  }

  @Bean
  DataSource dataSource(EmbeddedPostgres postgres, EmbeddedDatabaseSettings settings) {
    createDatabaseIfMissing(postgres, settings.database());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.getJdbcUrl("postgres", settings.database()));
    config.setUsername("postgres");
    config.setPoolName("flowmate-embedded");
    config.setMaximumPoolSize(10);
    return new HikariDataSource(config);
  }

  private static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database) {
    if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalStateException("flowmate.db.embedded.database must be a simple name");
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      var exists =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
      if (!exists.next()) {
        statement.execute("CREATE DATABASE " + database);
      }
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("Could not create database " + database, e));
    }
  }
}
