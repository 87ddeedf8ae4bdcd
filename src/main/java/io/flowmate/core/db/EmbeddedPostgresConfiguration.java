package io.flowmate.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * listens on 127.0.0.1 only, commits durably, and is stopped after everything that uses it (the
 * pool depends on it, so Spring closes the pool first); see {@link EmbeddedPostgresServer}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
@EnableConfigurationProperties(EmbeddedDatabaseSettings.class)
class EmbeddedPostgresConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

  @Bean(destroyMethod = "close")
  EmbeddedPostgresServer embeddedPostgres(EmbeddedDatabaseSettings settings) {
    log.info(
        "No spring.datasource.url / FLOWMATE_DB_URL configured: starting embedded PostgreSQL"
            + " with its data in {}",
        settings.dataDirectory().toAbsolutePath());
    return EmbeddedPostgresServer.start(settings);
  }

  @Bean
  DataSource dataSource(EmbeddedPostgresServer server, EmbeddedDatabaseSettings settings) {
    createDatabaseIfMissing(server.postgres().getPostgresDatabase(), settings.database());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.postgres().getJdbcUrl("postgres", settings.database()));
    config.setUsername("postgres");
    config.setPoolName("flowmate-embedded");
    config.setMaximumPoolSize(10);
    return new HikariDataSource(config);
  }

  private static void createDatabaseIfMissing(DataSource postgres, String database) {
    if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalStateException("flowmate.db.embedded.database must be a simple name");
    }
    try (Connection connection = postgres.getConnection();
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
