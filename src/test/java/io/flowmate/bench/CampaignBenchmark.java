package io.flowmate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.Outbox;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestGroups;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * One bulk-send campaign to 100,000 members of a custom group on the simulator, pacing off: how
 * long until every recipient is planned into the outbox (one process instance, a loop of paged
 * planning jobs), how fast the messages then go end to end (sent, delivered and read acks stored),
 * and the peak heap. The baseline, measured in the same run, queues the same number of messages
 * straight into the outbox in the same 1,000-row statements without engine or campaign: the
 * difference per message is the engine's and the campaign's own overhead (target < 1 ms).
 */
@Tag("benchmark")
@TestPropertySource(
    properties = {
      "flowmate.gateway.simulator.delivery-delay=0ms",
      "flowmate.gateway.simulator.read-delay=0ms",
      "flowmate.messaging.dispatch-interval=50ms",
      "flowmate.messaging.governor.pacing=false",
      "flowmate.messaging.governor.typing.enabled=false",
      "flowmate.outreach.campaigns.minimum-delay=0s",
      "flowmate.outreach.campaigns.progress-interval=200ms",
      "flowmate.admin.api-rate-limit-enabled=false",
      "logging.level.io.flowmate=WARN"
    })
class CampaignBenchmark extends IntegrationTest {

  private static final int RECIPIENTS = Integer.getInteger("bench.recipients", 100_000);
  private static final long DEADLINE_SECONDS = Long.getLong("bench.deadline-seconds", 900);

  @Autowired JdbcClient jdbc;
  @Autowired Outbox outbox;

  @Test
  void plansAndSendsA100kCampaign() throws Exception {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    UUID group = group(tenant.id());
    long baselineNanos = outboxOnly(tenant.id(), UUID.fromString(session));

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peakHeap = new AtomicLong(heapBefore);
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(() -> {
              while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });

    long start = System.nanoTime();
    Api.Response created =
        tenant
            .api()
            .post(
                "/api/v2/bulk-send",
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "{Hi|Hello|Hey} {first_name}, our spring sale starts today.",
                    "delay_min_seconds",
                    0,
                    "delay_max_seconds",
                    0));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    long planned = -1;
    String status = "pending";
    long deadline = start + DEADLINE_SECONDS * 1_000_000_000L;
    long lastReport = start;
    while (!"completed".equals(status) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      var job = tenant.api().get("/api/v2/bulk-send/" + id).json();
      status = job.get("status").asText();
      if (planned < 0 && job.get("planned_count").asInt() == RECIPIENTS) {
        planned = System.nanoTime() - start;
      }
      if (System.nanoTime() - lastReport > 10_000_000_000L) {
        lastReport = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "  … %.0f s: %s planned %d sent %d read %d%n",
            (lastReport - start) / 1e9,
            status,
            job.get("planned_count").asInt(),
            job.get("sent_count").asInt(),
            job.get("read_count").asInt());
      }
    }
    long elapsed = System.nanoTime() - start;
    sampler.interrupt();
    var done = tenant.api().get("/api/v2/bulk-send/" + id).json();
    long read = done.get("read_count").asLong();

    double overheadMs = (planned - baselineNanos) / 1e6 / RECIPIENTS;
    Benchmarks.report(
        "Bulk-send campaign (one number, simulator, pacing off)",
        String.format(
            Locale.ROOT,
            "recipients planned into the outbox by the process: %,d in %.2f s = %,.0f/s",
            RECIPIENTS,
            planned / 1e9,
            Benchmarks.perSecond(RECIPIENTS, planned)),
        String.format(
            Locale.ROOT,
            "baseline, the same messages queued straight into the outbox (no engine, no campaign): %.2f s",
            baselineNanos / 1e9),
        String.format(
            Locale.ROOT,
            "engine + campaign overhead per message: %.3f ms (target < 1 ms: %s); ratio planned / baseline time: %.2f",
            overheadMs,
            overheadMs < 1 ? "met" : "NOT met",
            planned / (double) baselineNanos),
        Benchmarks.rate("end to end, created → every message read (acks stored)", read, elapsed),
        String.format(
            Locale.ROOT, "process instances: 1; planning jobs: %d", (RECIPIENTS + 4_999) / 5_000),
        String.format(
            Locale.ROOT,
            "heap: %,d MB before, peak %,d MB (sampled every 100 ms)",
            heapBefore >> 20,
            peakHeap.get() >> 20));
    assertThat(status).isEqualTo("completed");
    assertThat(done.get("sent_count").asInt()).isEqualTo(RECIPIENTS);
  }

  private UUID group(UUID tenant) {
    TestGroups groups = new TestGroups(jdbc);
    UUID group = groups.create(tenant, List.of());
    groups.addGenerated(group, RECIPIENTS);
    return group;
  }

  /**
   * Queues the same number of messages held (never sent) in 1,000-row batches; removes them after.
   */
  private long outboxOnly(UUID tenant, UUID session) {
    Outbox.Origin origin = new Outbox.Origin("bench", Ids.newId());
    long start = System.nanoTime();
    for (int from = 0; from < RECIPIENTS; from += 1_000) {
      List<Outbox.Outgoing> batch = new ArrayList<>(1_000);
      for (int i = from; i < Math.min(from + 1_000, RECIPIENTS); i++) {
        batch.add(
            new Outbox.Outgoing(
                ChatId.parse(String.format("4916%09d", i)),
                Outbox.Content.text("Hi Member " + i + ", our spring sale starts today."),
                "bench:" + origin.id() + ":" + i));
      }
      outbox.enqueue(
          new Outbox.Batch(
              TenantId.of(tenant), SessionId.of(session), origin, batch, true, false, null));
    }
    long elapsed = System.nanoTime() - start;
    outbox.cancel(origin, "benchmark baseline");
    return elapsed;
  }
}
