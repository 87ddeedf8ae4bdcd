package io.flowmate.outreach.followup;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.bench.Benchmarks;
import io.flowmate.support.IntegrationTest;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The embedded engine keeps every record it ever wrote in memory (ZPT's log is a list), so the
 * embedded mode's capacity is a matter of heap. This measures the heap each kind of long-lived
 * process costs: follow-up instances waiting for a reply or their timer, and what stays behind once
 * they ended.
 */
@Tag("benchmark")
@TestPropertySource(
    properties = {"flowmate.admin.api-rate-limit-enabled=false", "logging.level.io.flowmate=WARN"})
class EngineMemoryBenchmark extends IntegrationTest {

  private static final int FOLLOW_UPS = Integer.getInteger("bench.follow-ups", 2_000);

  @Autowired Processes processes;
  @Autowired EmbeddedEngine engine;

  @Test
  void heapPerThousandFollowUps() throws Exception {
    long before = Benchmarks.settledHeap();
    List<Long> instances = new ArrayList<>(FOLLOW_UPS);
    long start = System.nanoTime();
    for (int i = 0; i < FOLLOW_UPS; i++) {
      instances.add(
          processes
              .start(
                  FollowUpProcess.PROCESS_ID,
                  Map.of(
                      FollowUpProcess.TENANT_ID,
                      UUID.randomUUID().toString(),
                      FollowUpProcess.FOLLOW_UP_ID,
                      UUID.randomUUID().toString(),
                      FollowUpProcess.ROUND,
                      0,
                      FollowUpProcess.MAX_ROUNDS,
                      3,
                      FollowUpProcess.WAIT_DURATION,
                      "P3D"))
              .processInstanceKey());
    }
    long started = System.nanoTime() - start;
    engine.waitForIdleState(Duration.ofMinutes(1));
    long waiting = Benchmarks.settledHeap();
    instances.forEach(instance -> processes.cancel(instance, processes.epoch()));
    engine.waitForIdleState(Duration.ofMinutes(1));
    long ended = Benchmarks.settledHeap();

    double perThousandWaiting = (waiting - before) / (FOLLOW_UPS / 1000.0) / (1 << 20);
    double perThousandEnded = (ended - before) / (FOLLOW_UPS / 1000.0) / (1 << 20);
    Benchmarks.report(
        "Embedded engine memory: follow-ups",
        Benchmarks.rate(
            "follow-up instances started one by one (each waits for a reply or a 3-day timer)",
            FOLLOW_UPS,
            started),
        String.format(
            Locale.ROOT, "heap per 1,000 waiting follow-ups: %.1f MB", perThousandWaiting),
        String.format(
            Locale.ROOT,
            "heap per 1,000 after they ended (records the engine keeps): %.1f MB",
            perThousandEnded),
        String.format(
            Locale.ROOT,
            "so 1 GB of heap holds about %,.0f follow-ups over the engine's lifetime",
            1024 / Math.max(perThousandWaiting, perThousandEnded) * 1000));
    assertThat(waiting).isGreaterThan(before);
  }
}
