package io.flowmate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.EngineClock;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestGroups;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.EngineRecycler;
import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The embedded engine in bounded memory: simulated days (engine time travel) of follow-ups (one
 * round after a 1-hour wait, {@code 10,000 × scale} a day) and schedules every 5 minutes ({@code
 * 100 × scale}). First {@code bench.baseline-hours} without recycling, the baseline whose heap
 * grows; then {@code bench.days} days with the recycler checked after every 5-minute step (nightly
 * at 03:00 UTC, and whenever the heap passes a quarter of the 2 GB the benchmark JVM has). Prints
 * the heap (after a full collection) every simulated hour, and asserts that it stays under 768 MB
 * while recycling and that every follow-up round and every occurrence happened exactly once.
 *
 * <p>Follow-ups are written straight into their table without an instance, as a sent message would
 * leave them, and the reconciliation starts them; their number's session is never started, so the
 * messages stay queued in the outbox, where they are counted (sending is measured elsewhere). The
 * defaults ({@code bench.scale=0.05}, 12 hours, then 2 days) keep the run to minutes on a shared
 * 2-core machine; {@code -Dbench.scale=1 -Dbench.days=7 -Dbench.baseline-hours=24} is the full
 * load, and takes hours here.
 */
@Tag("benchmark")
@Import(EngineClock.Config.class)
@TestPropertySource(
    properties = {
      "flowmate.admin.api-rate-limit-enabled=false",
      "flowmate.outreach.reconcile-interval=300ms",
      "flowmate.engine.recycle.enabled=false",
      "flowmate.engine.recycle.heap-share=0.25",
      "flowmate.engine.recycle.nightly-at=03:00",
      "flowmate.engine.recycle.zone=UTC",
      "flowmate.engine.recycle.max-pause=60s",
      "camunda.client.request-timeout=60s",
      "logging.level.io.flowmate=WARN",
      "logging.level.io.flowmate.workflow.EngineRecycler=INFO",
      "logging.level.io.camunda.client.job.worker=ERROR"
    })
class EngineRecycleBenchmark extends IntegrationTest {

  private static final double SCALE = Double.parseDouble(System.getProperty("bench.scale", "0.05"));
  private static final int DAYS = Integer.getInteger("bench.days", 2);
  private static final int BASELINE_HOURS =
      Math.max(2, Integer.getInteger("bench.baseline-hours", 12));
  private static final int FOLLOW_UPS_PER_DAY = (int) Math.round(10_000 * SCALE);
  private static final int SCHEDULES = Math.max(1, (int) Math.round(100 * SCALE));
  private static final Duration STEP = Duration.ofMinutes(5);
  private static final int STEPS_PER_HOUR = 12;
  private static final long HEAP_LIMIT = 768L << 20;
  private static final long MB = 1 << 20;

  @Autowired EngineClock clock;
  @Autowired EmbeddedEngine engine;
  @Autowired EngineRecycler recycler;
  @Autowired JdbcClient jdbc;

  private TestTenant tenant;
  private UUID session;
  private UUID rule;
  private int followUps;
  private double followUpsOwed;
  private boolean addingFollowUps = true;
  private int nudges;
  private final List<String> schedules = new ArrayList<>();
  private final List<EngineRecycler.Recycle> recycles = new ArrayList<>();

  /** Heap after a full collection at the end of each simulated hour, by phase. */
  private final List<Long> baselineHeap = new ArrayList<>();

  private final List<Long> recyclingHeap = new ArrayList<>();

  @Test
  void daysOfFollowUpsAndFiveMinuteSchedulesStayInBoundedHeap() {
    tenant = newTenant();
    setUp();
    long started = System.nanoTime();

    for (int hour = 0; hour < BASELINE_HOURS; hour++) {
      baselineHeap.add(simulateHour(false));
    }
    for (int hour = 0; hour < DAYS * 24; hour++) {
      recyclingHeap.add(simulateHour(true));
    }
    addingFollowUps = false; // let the last follow-ups end
    for (int step = 0; step < 2 * STEPS_PER_HOUR; step++) {
      step(true);
    }
    long elapsed = System.nanoTime() - started;

    report(elapsed);
    assertExactlyOnce();
    assertThat(recycles).as("recycles").isNotEmpty();
    assertThat(recyclingHeap.stream().mapToLong(Long::longValue).max().orElseThrow())
        .as("heap while recycling")
        .isLessThan(HEAP_LIMIT);
  }

  private void setUp() {
    Api.Response created = tenant.api().post("/api/v2/sessions", Map.of("name", "bench"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    session = UUID.fromString(created.text("id"));
    TestGroups groups = new TestGroups(jdbc);
    UUID group = groups.create(tenant.id(), List.of());
    groups.addGenerated(group, FOLLOW_UPS_PER_DAY * (DAYS + 2 + BASELINE_HOURS / 24) + 100);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "no reply in an hour");
    body.put("session_id", session.toString());
    body.put("custom_group_id", group.toString());
    body.put("wait", "PT1H");
    body.put("message_content", "Hi {first_name}, any questions?");
    body.put("max_rounds", 1);
    Api.Response ruleCreated = tenant.api().post("/api/v2/follow-ups", body);
    assertThat(ruleCreated.status()).as(ruleCreated.toString()).isEqualTo(201);
    rule = UUID.fromString(ruleCreated.text("id"));
    for (int i = 0; i < SCHEDULES; i++) {
      Api.Response schedule =
          tenant
              .api()
              .post(
                  "/api/v2/scheduled-messages",
                  Map.of(
                      "name",
                      "every five minutes " + i,
                      "session_id",
                      session.toString(),
                      "chat_id",
                      "4916" + String.format(Locale.ROOT, "%09d", i),
                      "schedule_type",
                      "cron",
                      "cron_expression",
                      "*/5 * * * *",
                      "timezone",
                      "UTC",
                      "message_content",
                      "Reminder " + i));
      assertThat(schedule.status()).as(schedule.toString()).isEqualTo(201);
      schedules.add(schedule.text("id"));
    }
  }

  /** Twelve 5-minute steps; returns the heap after a full collection at the end. */
  private long simulateHour(boolean recycling) {
    for (int step = 0; step < STEPS_PER_HOUR; step++) {
      step(recycling);
    }
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        Locale.ROOT,
        "  … %s %s: heap %d MB, engine log %,d entries, %,d follow-ups, %d recycles%n",
        recycling ? "recycling" : "baseline",
        clock.instant(),
        heap / MB,
        engine.figures().logEntries(),
        followUps,
        recycles.size());
    return heap;
  }

  /**
   * Adds this step's follow-ups, moves 5 minutes on, lets the recycler look (while the jobs the
   * timers just created are in flight) and waits until every due follow-up and occurrence is done.
   */
  private void step(boolean recycling) {
    if (addingFollowUps) {
      followUpsOwed += FOLLOW_UPS_PER_DAY / (24.0 * STEPS_PER_HOUR);
      int count = (int) Math.floor(followUpsOwed);
      followUpsOwed -= count;
      insertFollowUps(count);
    }
    clock.travel(STEP);
    if (recycling) {
      recycler.recycleIfDue().ifPresent(recycles::add);
    }
    Timestamp now = Timestamp.from(clock.instant());
    for (int nudge = 0; ; nudge++) {
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> overdue(now).isEmpty());
        return;
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        if (nudge == 5) {
          throw new AssertionError(
              "Still not done after 2 minutes: %s; what their instances did: %s"
                  .formatted(overdue(now), instanceRecords(now)),
              e);
        }
        // The embedded engine now and then misses a timer whose time came until its clock moves
        // again (also without any recycle); a minute later it fires.
        nudges++;
        clock.travel(Duration.ofMinutes(1));
      }
    }
  }

  /** For a failure: the elements each overdue row's instance completed, and its incidents. */
  private List<String> instanceRecords(Timestamp now) {
    io.flowmate.support.EngineRecords records = new io.flowmate.support.EngineRecords(engine);
    return jdbc
        .sql(
            """
            SELECT process_instance_key FROM outreach_follow_up WHERE rule_id = :rule
              AND status = 'waiting' AND due_at <= :now AND process_instance_key IS NOT NULL
            UNION ALL
            SELECT process_instance_key FROM outreach_scheduled_message
            WHERE tenant_id = :tenant AND next_run_at <= :now AND process_instance_key IS NOT NULL
            """)
        .param("rule", rule)
        .param("tenant", tenant.id())
        .param("now", now)
        .query(Long.class)
        .list()
        .stream()
        .map(key ->
            key + ": " + records.completedElements(key) + " incidents " + records.incidents(key))
        .toList();
  }

  /** Follow-ups and schedules whose time has come and that have not moved on. */
  private List<String> overdue(Timestamp now) {
    return jdbc.sql(
            """
            SELECT 'follow-up ' || id || ' round ' || round || ' due ' || due_at || ' epoch '
                     || coalesce(engine_epoch, '-') || ' key ' || coalesce(process_instance_key, 0)
            FROM outreach_follow_up WHERE rule_id = :rule AND status = 'waiting' AND due_at <= :now
            UNION ALL
            SELECT 'schedule ' || id || ' next ' || next_run_at || ' epoch '
                     || coalesce(engine_epoch, '-') || ' key ' || coalesce(process_instance_key, 0)
            FROM outreach_scheduled_message WHERE tenant_id = :tenant AND next_run_at <= :now
            """)
        .param("rule", rule)
        .param("tenant", tenant.id())
        .param("now", now)
        .query(String.class)
        .list();
  }

  /** Follow-ups as a sent message leaves them: waiting an hour, no instance yet. */
  private void insertFollowUps(int count) {
    if (count == 0) {
      return;
    }
    Instant now = clock.instant();
    jdbc.sql(
            """
            INSERT INTO outreach_follow_up (id, tenant_id, rule_id, session_id, chat_id,
              trigger_message_id, waiting_since, round, max_rounds, due_at, status, created_at,
              updated_at)
            SELECT gen_random_uuid(), :tenant, :rule, :session,
              '4917' || lpad((:first + n)::text, 9, '0') || '@c.us', gen_random_uuid(), :now, 0, 1,
              :due, 'waiting', :now, :now
            FROM generate_series(1, :count) AS n
            """)
        .param("tenant", tenant.id())
        .param("rule", rule)
        .param("session", session)
        .param("first", followUps)
        .param("now", Timestamp.from(now))
        .param("due", Timestamp.from(now.plus(Duration.ofHours(1))))
        .param("count", count)
        .update();
    followUps += count;
  }

  private void assertExactlyOnce() {
    assertThat(
            jdbc.sql(
                    "SELECT status, round, count(*) FROM outreach_follow_up WHERE rule_id = :rule"
                        + " GROUP BY status, round")
                .param("rule", rule)
                .query(
                    (rs, row) -> rs.getString(1) + " round " + rs.getInt(2) + ": " + rs.getLong(3))
                .list())
        .as("every follow-up sent its one round and completed")
        .containsExactly("completed round 1: " + followUps);
    assertThat(
            jdbc.sql(
                    "SELECT count(*), count(DISTINCT origin_id) FROM messaging_message"
                        + " WHERE tenant_id = :tenant AND origin_kind = 'follow_up'")
                .param("tenant", tenant.id())
                .query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
                .single())
        .as("one queued message per follow-up")
        .containsExactly((long) followUps, (long) followUps);
    for (String schedule : schedules) {
      UUID id = UUID.fromString(schedule);
      List<Object> history =
          jdbc.sql(
                  """
                  SELECT count(*), count(*) FILTER (WHERE status = 'executed'), min(occurrence),
                    max(occurrence)
                  FROM outreach_scheduled_execution WHERE schedule_id = :id
                  """)
              .param("id", id)
              .query((rs, row) ->
                  List.<Object>of(
                      rs.getLong(1),
                      rs.getLong(2),
                      rs.getTimestamp(3).toInstant(),
                      rs.getTimestamp(4).toInstant()))
              .single();
      long expected =
          Duration.between((Instant) history.get(2), (Instant) history.get(3)).dividedBy(STEP) + 1;
      assertThat(history.subList(0, 2))
          .as("schedule %s: one executed occurrence every 5 minutes, none missed", schedule)
          .containsExactly(expected, expected);
      assertThat(
              jdbc.sql(
                      "SELECT count(*) FROM messaging_message WHERE tenant_id = :tenant"
                          + " AND origin_id = :id")
                  .param("tenant", tenant.id())
                  .param("id", id)
                  .query(Long.class)
                  .single())
          .as("schedule %s: one queued message per occurrence", schedule)
          .isEqualTo(expected);
    }
  }

  private void report(long elapsedNanos) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "scale %.3f: %,d follow-ups a day (one round after 1 h), %d schedules every 5 minutes;"
                + " %d h without recycling, then %d days with",
            SCALE,
            FOLLOW_UPS_PER_DAY,
            SCHEDULES,
            BASELINE_HOURS,
            DAYS));
    long occurrences =
        jdbc.sql(
                "SELECT count(*) FROM outreach_scheduled_execution e JOIN outreach_scheduled_message s"
                    + " ON s.id = e.schedule_id WHERE s.tenant_id = :tenant")
            .param("tenant", tenant.id())
            .query(Long.class)
            .single();
    lines.add(
        String.format(
            Locale.ROOT,
            "%,d follow-ups and %,d occurrences, each exactly once, in %.0f s",
            followUps,
            occurrences,
            elapsedNanos / 1e9));
    lines.add(
        "steps whose timers needed the clock moved a minute more to fire: %d".formatted(nudges));
    lines.add("heap after a full collection, MB, per simulated hour:");
    lines.add("  without recycling: " + megabytes(baselineHeap));
    for (int day = 0; day < DAYS; day++) {
      lines.add(
          "  day %d with recycling: %s"
              .formatted(
                  day + 1,
                  megabytes(
                      recyclingHeap.subList(
                          day * 24, Math.min((day + 1) * 24, recyclingHeap.size())))));
    }
    long baselineGrowth = baselineHeap.getLast() - baselineHeap.getFirst();
    double growthPerDay = baselineGrowth / (double) MB / (BASELINE_HOURS - 1) * 24;
    lines.add(
        String.format(
            Locale.ROOT,
            "without recycling the heap grew %.0f MB a day: %.0f MB after %d days at this scale,"
                + " about %.1f GB after 7 days at full scale",
            growthPerDay,
            baselineHeap.getFirst() / (double) MB + growthPerDay * (DAYS + BASELINE_HOURS / 24.0),
            DAYS,
            growthPerDay * 7 / SCALE / 1024));
    lines.add(
        String.format(
            Locale.ROOT,
            "with recycling: max %d MB (limit %d MB)",
            recyclingHeap.stream().mapToLong(Long::longValue).max().orElseThrow() / MB,
            HEAP_LIMIT / MB));
    for (EngineRecycler.Recycle recycle : recycles) {
      lines.add(
          String.format(
              Locale.ROOT,
              "recycle at %s (%s): heap %d → %d MB, starts paused %d ms, instances re-created"
                  + " after %d ms, old log %,d entries",
              recycle.at(),
              recycle.reason(),
              recycle.heapBeforeBytes() / MB,
              recycle.heapAfterBytes() / MB,
              recycle.paused().toMillis(),
              recycle.took().toMillis(),
              recycle.oldLogEntries()));
    }
    Benchmarks.report(
        "Embedded engine recycled: follow-ups and 5-minute schedules",
        lines.toArray(String[]::new));
  }

  private static String megabytes(List<Long> heap) {
    return heap.stream()
        .map(bytes -> String.valueOf(bytes / MB))
        .reduce((a, b) -> a + " " + b)
        .orElse("");
  }
}
