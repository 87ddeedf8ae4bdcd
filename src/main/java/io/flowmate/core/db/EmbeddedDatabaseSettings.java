package io.flowmate.core.db;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL of the zero-set-up run ({@code flowmate.db.embedded.*}), used only when
 * no {@code spring.datasource.url} (or {@code FLOWMATE_DB_URL}) is configured.
 *
 * @param dataDirectory where the cluster's files live; kept across restarts
 * @param port TCP port on 127.0.0.1; 0 picks a free one at every start
 * @param database database created inside the cluster for Flowmate
 * @param startTimeout how long PostgreSQL may take to accept connections; after a crash it first
 *     replays its write-ahead log
 */
@ConfigurationProperties("flowmate.db.embedded")
public record EmbeddedDatabaseSettings(
    @DefaultValue("data/postgres") Path dataDirectory,
    @DefaultValue("0") int port,
    @DefaultValue("flowmate") String database,
    @DefaultValue("60s") Duration startTimeout) {}
