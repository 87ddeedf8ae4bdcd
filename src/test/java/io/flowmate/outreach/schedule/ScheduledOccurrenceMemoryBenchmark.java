package io.flowmate.outreach.schedule;

import static org.awaitility.Awaitility.await;

import io.flowmate.bench.Benchmarks;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The embedded engine keeps every record in memory: each occurrence of a recurring schedule (a
 * timer, its job, the loop back) adds records that stay for the engine's lifetime. This runs one
 * daily schedule through 1,000 occurrences by moving the clock, and measures the heap they leave.
 */
@Tag("benchmark")
class ScheduledOccurrenceMemoryBenchmark extends ScheduledMessageTestSupport {

  private static final int OCCURRENCES = Integer.getInteger("bench.occurrences", 1_000);

  @Test
  void heapPerThousandOccurrences() throws Exception {
    TestTenant tenant = tenant();
    String session = tenant.workingSession();
    LocalDateTime start =
        LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).plusHours(1).withSecond(0).withNano(0);
    String id =
        createWaiting(
            tenant,
            Map.of(
                "name", "memory",
                "session_id", session,
                "chat_id", "4915100000990",
                "schedule_type", "daily",
                "scheduled_time", start.toString(),
                "timezone", "UTC",
                "message_content", "Daily reminder"));

    long before = Benchmarks.settledHeap();
    long began = System.nanoTime();
    for (int i = 1; i <= OCCURRENCES; i++) {
      Instant next = nextRunAt(tenant, id);
      clock.travelPast(next);
      int runs = i;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> schedule(tenant, id).get("run_count").asInt() >= runs);
    }
    long elapsed = System.nanoTime() - began;
    long after = Benchmarks.settledHeap();

    double perThousand = (after - before) / (OCCURRENCES / 1000.0) / (1 << 20);
    Benchmarks.report(
        "Embedded engine memory: scheduled-message occurrences",
        Benchmarks.rate(
            "occurrences of one daily schedule (clock moved a day each)", OCCURRENCES, elapsed),
        String.format(
            Locale.ROOT,
            "heap per 1,000 occurrences: %.1f MB (engine records, plus the simulator's record of each delivery)",
            perThousand),
        String.format(
            Locale.ROOT,
            "so a schedule every 5 minutes (288 a day) adds about %.1f MB a day to the embedded engine",
            perThousand * 288 / 1000));
  }
}
