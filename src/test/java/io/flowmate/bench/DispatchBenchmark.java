package io.flowmate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.Ids;
import io.flowmate.support.IntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Outbox dispatch end to end on the simulator with pacing off: 100,000 queued messages to 100,000
 * different people go through the send lanes (policy checks, transport, "sent" record) and their
 * delivered and read acks are stored. Compared with a plain JDBC loop that inserts one row per
 * commit, measured in the same run on the same database. Target: at least 1,000 messages/s.
 */
@Tag("benchmark")
@TestPropertySource(
    properties = {
      "flowmate.gateway.simulator.delivery-delay=0ms",
      "flowmate.gateway.simulator.read-delay=0ms",
      "flowmate.messaging.dispatch-interval=50ms",
      "flowmate.messaging.governor.pacing=false",
      "flowmate.messaging.governor.typing.enabled=false",
      "flowmate.admin.api-rate-limit-enabled=false",
      "logging.level.io.flowmate=WARN"
    })
class DispatchBenchmark extends IntegrationTest {

  private static final int MESSAGES = Integer.getInteger("bench.messages", 100_000);
  private static final int SESSIONS = 4;
  private static final long DEADLINE_SECONDS = Long.getLong("bench.deadline-seconds", 600);
  private static final int BASELINE_ROWS = 20_000;

  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;

  @Test
  void dispatchesQueuedMessagesEndToEnd() throws Exception {
    TestTenant tenant = newTenant().allowingColdMessages();
    List<UUID> sessions = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      sessions.add(UUID.fromString(tenant.workingSession()));
    }
    double baseline = rawInsertsPerSecond();

    enqueue(tenant.id(), sessions);
    long start = System.nanoTime();
    jdbc.sql("UPDATE messaging_message SET status = 'queued' WHERE status = 'pending' AND source = 'bench'").update();
    long read;
    long lastReport = start;
    do {
      Thread.sleep(200);
      read = jdbc.sql("SELECT count(*) FROM messaging_message WHERE source = 'bench' AND status = 'read'")
          .query(Long.class).single();
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        System.out.printf(Locale.ROOT, "  … %.0f s: %s%n", (lastReport - start) / 1e9,
            jdbc.sql("SELECT status, count(*) FROM messaging_message WHERE source = 'bench' GROUP BY status")
                .query((rs, row) -> rs.getString(1) + "=" + rs.getLong(2)).list());
      }
    } while (read < MESSAGES && System.nanoTime() - start < DEADLINE_SECONDS * 1_000_000_000L);
    long elapsed = System.nanoTime() - start;

    double perSecond = Benchmarks.perSecond(read, elapsed);
    Benchmarks.report(
        "Outbox dispatch (simulator, pacing off, " + SESSIONS + " numbers)",
        Benchmarks.rate("messages queued → sent → delivered → read (acks stored)", read, elapsed),
        String.format(Locale.ROOT, "raw JDBC insert loop (one row per commit): %,.0f rows/s", baseline),
        String.format(Locale.ROOT, "ratio dispatch / raw inserts: %.2f", perSecond / baseline),
        String.format(Locale.ROOT, "target >= 1,000 messages/s: %s", perSecond >= 1_000 ? "met" : "NOT met"));
    assertThat(read)
        .as("messages not read in time: %s",
            jdbc.sql(
                    """
                    SELECT id, status, wa_message_id, attempts, failure_reason, sent_at, updated_at
                    FROM messaging_message WHERE source = 'bench' AND status <> 'read' LIMIT 5
                    """)
                .query((rs, row) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " attempts="
                    + rs.getInt(4) + " " + rs.getString(5) + " sent=" + rs.getString(6) + " updated=" + rs.getString(7))
                .list())
        .isEqualTo(MESSAGES);
  }

  /** What one PostgreSQL connection does in a plain loop: one INSERT per transaction. */
  private double rawInsertsPerSecond() throws Exception {
    try (Connection c = dataSource.getConnection(); Statement ddl = c.createStatement()) {
      ddl.execute("CREATE TABLE IF NOT EXISTS bench_raw (id uuid PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL)");
      c.setAutoCommit(true);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_raw VALUES (?, ?, ?)")) {
        long start = System.nanoTime();
        for (int i = 0; i < BASELINE_ROWS; i++) {
          insert.setObject(1, UUID.randomUUID());
          insert.setString(2, "Spring sale starts today, message " + i);
          insert.setTimestamp(3, Timestamp.from(Instant.now()));
          insert.executeUpdate();
        }
        return Benchmarks.perSecond(BASELINE_ROWS, System.nanoTime() - start);
      } finally {
        ddl.execute("DROP TABLE bench_raw");
      }
    }
  }

  /** Writes the messages as a campaign would, held back (pending) until the clock starts. */
  private void enqueue(UUID tenant, List<UUID> sessions) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                """
                INSERT INTO messaging_message (id, tenant_id, session_id, chat_id, direction, source,
                  message_type, body, payload, status, idempotency_key, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'outbound', 'bench', 'text', ?, '{}'::jsonb, 'pending', ?, now(), now())
                """)) {
      c.setAutoCommit(false);
      for (int i = 0; i < MESSAGES; i++) {
        UUID id = Ids.newId();
        insert.setObject(1, id);
        insert.setObject(2, tenant);
        insert.setObject(3, sessions.get(i % sessions.size()));
        insert.setString(4, String.format("4917%09d@c.us", i));
        insert.setString(5, "Hello, our spring sale starts today. Reply STOP to opt out.");
        insert.setString(6, id.toString());
        insert.addBatch();
        if (i % 1_000 == 999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
      c.commit();
    }
  }
}
