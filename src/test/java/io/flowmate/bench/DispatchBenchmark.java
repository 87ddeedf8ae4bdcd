package io.flowmate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.core.Ids;
import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
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
 * commit, measured in the same run on the same database. Target: at least 1,000 messages/s. And,
 * with pacing on, the rows written for each message sent. Target: at most 5.
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
  private static final String PACED_SOURCE = "bench-paced";

  /** A new number's hourly cap in its first two days (the first warm-up step). */
  private static final int SENT_PER_SESSION = 20;

  private static final int QUEUED_PER_SESSION = 30;
  private static final long PACED_DEADLINE_SECONDS = 150;

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
    jdbc.sql(
            "UPDATE messaging_message SET status = 'queued' WHERE status = 'pending' AND source = 'bench'")
        .update();
    long read;
    long lastReport = start;
    do {
      Thread.sleep(200);
      read =
          jdbc.sql(
                  "SELECT count(*) FROM messaging_message WHERE source = 'bench' AND status = 'read'")
              .query(Long.class)
              .single();
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "  … %.0f s: %s%n",
            (lastReport - start) / 1e9,
            jdbc.sql(
                    "SELECT status, count(*) FROM messaging_message WHERE source = 'bench' GROUP BY status")
                .query((rs, row) -> rs.getString(1) + "=" + rs.getLong(2))
                .list());
      }
    } while (read < MESSAGES && System.nanoTime() - start < DEADLINE_SECONDS * 1_000_000_000L);
    long elapsed = System.nanoTime() - start;

    double perSecond = Benchmarks.perSecond(read, elapsed);
    Benchmarks.report(
        "Outbox dispatch (simulator, pacing off, " + SESSIONS + " numbers)",
        Benchmarks.rate("messages queued → sent → delivered → read (acks stored)", read, elapsed),
        String.format(
            Locale.ROOT, "raw JDBC insert loop (one row per commit): %,.0f rows/s", baseline),
        String.format(Locale.ROOT, "ratio dispatch / raw inserts: %.2f", perSecond / baseline),
        String.format(
            Locale.ROOT, "target >= 1,000 messages/s: %s", perSecond >= 1_000 ? "met" : "NOT met"));
    assertThat(read)
        .as(
            "messages not read in time: %s",
            jdbc.sql(
                    """
                    SELECT id, status, wa_message_id, attempts, failure_reason, sent_at, updated_at
                    FROM messaging_message WHERE source = 'bench' AND status <> 'read' LIMIT 5
                    """)
                .query((rs, row) ->
                    rs.getString(1)
                        + " "
                        + rs.getString(2)
                        + " "
                        + rs.getString(3)
                        + " attempts="
                        + rs.getInt(4)
                        + " "
                        + rs.getString(5)
                        + " sent="
                        + rs.getString(6)
                        + " updated="
                        + rs.getString(7))
                .list())
        .isEqualTo(MESSAGES);
  }

  /** What one PostgreSQL connection does in a plain loop: one INSERT per transaction. */
  private double rawInsertsPerSecond() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement ddl = c.createStatement()) {
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS bench_raw (id uuid PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL)");
      c.setAutoCommit(true);
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO bench_raw VALUES (?, ?, ?)")) {
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

  /**
   * Pacing on as shipped (the plan's rate with randomised gaps, typing shown for the text's length,
   * warm-up caps, the simulator's own ack delays), in a Flowmate of its own on a database of its
   * own: a queue deeper than the numbers may send in the hour waits its turn, and each message
   * WhatsApp accepted costs so many rows written on the messaging tables (PostgreSQL's counters,
   * before and after), acks and chat summaries included.
   */
  @Test
  void rowWritesPerSentMessageAtRealPacing() throws Exception {
    Map<String, Object> pacing =
        Map.of(
            "flowmate.gateway.simulator.delivery-delay", "500ms",
            "flowmate.gateway.simulator.read-delay", "2s",
            "flowmate.messaging.dispatch-interval", "1s",
            "flowmate.messaging.governor.pacing", "true",
            "flowmate.messaging.governor.typing.enabled", "true",
            "flowmate.admin.api-rate-limit-enabled", "false",
            "logging.level.io.flowmate", "WARN");
    try (AppInstance paced = AppInstance.start(TestDatabase.newDatabase(), pacing)) {
      JdbcClient db = paced.bean(JdbcClient.class);
      TestTenant tenant = tenant(paced, "business").allowingColdMessages();
      List<UUID> sessions = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        sessions.add(UUID.fromString(tenant.workingSession()));
      }
      enqueue(
          paced.bean(DataSource.class),
          tenant.id(),
          sessions,
          PACED_SOURCE,
          SESSIONS * QUEUED_PER_SESSION);
      Map<String, Long> before = settledRowWrites(db);

      long start = System.nanoTime();
      int released =
          db.sql(
                  "UPDATE messaging_message SET status = 'queued' WHERE status = 'pending' AND source = :source")
              .param("source", PACED_SOURCE)
              .update();
      long expected = (long) SESSIONS * SENT_PER_SESSION;
      long read;
      do {
        Thread.sleep(1_000);
        read = count(db, "status = 'read'");
      } while (read < expected
          && System.nanoTime() - start < PACED_DEADLINE_SECONDS * 1_000_000_000L);
      long elapsed = System.nanoTime() - start;
      long sent = count(db, "sent_at IS NOT NULL");
      Map<String, Long> after = settledRowWrites(db);

      Map<String, Long> writes = new TreeMap<>();
      after.forEach((table, rows) -> writes.put(table, rows - before.getOrDefault(table, 0L)));
      // Releasing the queue above is the campaign's write, not the dispatcher's.
      writes.merge("messaging_message", (long) -released, Long::sum);
      writes.values().removeIf(rows -> rows == 0);
      long total = writes.values().stream().mapToLong(Long::longValue).sum();
      double perMessage = sent == 0 ? Double.NaN : (double) total / sent;
      Benchmarks.report(
          "Outbox dispatch at real pacing (simulator, "
              + SESSIONS
              + " new numbers, business plan, typing on)",
          String.format(
              Locale.ROOT,
              "messages queued: %,d; sent (each number's warm-up cap): %,d; read: %,d in %.0f s",
              released,
              sent,
              read,
              elapsed / 1e9),
          String.format(
              Locale.ROOT,
              "row writes per sent message at real pacing: %.2f (%,d rows: %s)",
              perMessage,
              total,
              writes),
          String.format(
              Locale.ROOT,
              "target <= 5 row writes per sent message: %s",
              perMessage <= 5 ? "met" : "NOT met"));
      assertThat(read).as("paced messages read in time").isEqualTo(expected);
      assertThat(sent).as("no number sent past its warm-up cap").isEqualTo(expected);
    }
  }

  /** A tenant of that Flowmate, as {@link #newTenant} makes one here. */
  private static TestTenant tenant(AppInstance app, String plan) {
    Api.Response created =
        app.operator().post("/api/v2/admin/tenants", Map.of("name", "t-paced", "plan", plan));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String key = created.text("admin_api_key");
    return new TestTenant(
        UUID.fromString(created.json().get("tenant").get("id").asText()), key, app.api(key));
  }

  private static long count(JdbcClient db, String condition) {
    return db.sql("SELECT count(*) FROM messaging_message WHERE source = :source AND " + condition)
        .param("source", PACED_SOURCE)
        .query(Long.class)
        .single();
  }

  /**
   * Rows inserted, updated and deleted on the messaging tables so far, by table, once PostgreSQL's
   * counters have settled (each connection reports its own about once a second).
   */
  private static Map<String, Long> settledRowWrites(JdbcClient db) {
    AtomicReference<Map<String, Long>> last = new AtomicReference<>(Map.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(1_500))
        .until(() -> last.getAndSet(rowWrites(db)).equals(last.get()));
    return last.get();
  }

  private static Map<String, Long> rowWrites(JdbcClient db) {
    Map<String, Long> writes = new TreeMap<>();
    db.sql(
            """
            SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS writes FROM pg_stat_user_tables
            WHERE relname LIKE 'messaging\\_%'
            """)
        .query((rs, row) -> writes.put(rs.getString("relname"), rs.getLong("writes")))
        .list();
    return writes;
  }

  private void enqueue(UUID tenant, List<UUID> sessions) throws Exception {
    enqueue(dataSource, tenant, sessions, "bench", MESSAGES);
  }

  /** Writes the messages as a campaign would, held back (pending) until the clock starts. */
  private static void enqueue(
      DataSource database, UUID tenant, List<UUID> sessions, String source, int count)
      throws Exception {
    try (Connection c = database.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                """
                INSERT INTO messaging_message (id, tenant_id, session_id, chat_id, direction, source,
                  message_type, body, payload, status, idempotency_key, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'outbound', ?, 'text', ?, '{}'::jsonb, 'pending', ?, now(), now())
                """)) {
      c.setAutoCommit(false);
      for (int i = 0; i < count; i++) {
        UUID id = Ids.newId();
        insert.setObject(1, id);
        insert.setObject(2, tenant);
        insert.setObject(3, sessions.get(i % sessions.size()));
        insert.setString(4, String.format("4917%09d@c.us", i));
        insert.setString(5, source);
        insert.setString(6, "Hello, our spring sale starts today. Reply STOP to opt out.");
        insert.setString(7, id.toString());
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
