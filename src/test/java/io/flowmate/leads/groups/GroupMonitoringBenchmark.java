package io.flowmate.leads.groups;

import static io.flowmate.leads.groups.GroupMonitoringIntegrationTests.GROUPS;
import static io.flowmate.leads.groups.GroupMonitoringIntegrationTests.monitored;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.bench.Benchmarks;
import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEventSink;
import io.flowmate.gateway.spi.WaIdentity;
import io.flowmate.leads.scoring.LeadScoringProcessStarter;
import io.flowmate.support.IntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Group monitoring under load: 50 monitored groups with 20 keywords each, and 200,000 incoming
 * group messages handed to the transport event sink from 8 threads, as the simulated WhatsApp (or
 * WAHA's webhooks) hands them over: each is stored by the inbound recorder, noticed, matched
 * against the number's one keyword automaton, and about one in ten makes or refreshes a lead. The
 * same messages go through once with the groups paused (ingestion alone) and once monitored; the
 * monitored run counts until the last message was examined. Targets: at least 2,000 messages/s
 * monitored, at least 0.8 of ingestion alone.
 *
 * <p>Scoring is the next stage, not part of this pipeline: each new lead's score is a process
 * instance, and on the embedded engine thousands of them would measure the engine rather than
 * detection. So the scoring schedule is held back while messages flow, and afterwards the leads are
 * scored and that is reported as a figure of its own.
 */
@Tag("benchmark")
@TestPropertySource(
    properties = {
      "logging.level.io.flowmate=WARN",
      "flowmate.leads.groups.reload-interval=1h",
      "flowmate.leads.scoring.interval=1h"
    })
class GroupMonitoringBenchmark extends IntegrationTest {

  private static final int MESSAGES = Integer.getInteger("bench.groupMessages", 200_000);
  private static final int WARM_UP = Integer.getInteger("bench.groupWarmUp", 20_000);
  private static final int GROUPS_MONITORED = 50;
  private static final int KEYWORDS = 20;
  private static final int SENDERS = 20_000;
  private static final int THREADS = Integer.getInteger("bench.senders", 8);
  private static final int MATCH_EVERY = 10;
  private static final String[] FILLER = {
    "hello everyone",
    "see you tomorrow",
    "the meeting moved to 5pm",
    "thanks for sharing",
    "great photos",
    "anyone going to the fair on saturday",
    "traffic is terrible today",
    "happy birthday Maria",
    "ok sounds good",
    "I will send the documents later"
  };

  @Autowired TransportEventSink sink;
  @Autowired GroupDetection detection;
  @Autowired JdbcClient jdbc;
  @Autowired LeadScoringProcessStarter scoring;

  private final AtomicInteger messageNumber = new AtomicInteger();

  @Test
  void detectsLeadsInFiftyGroupsAtIngestionSpeed() throws Exception {
    TestTenant tenant = newTenant("business");
    String session = tenant.workingSession();
    UUID sessionId = UUID.fromString(session);
    List<ChatId> chats = new ArrayList<>();
    List<String> groupIds = new ArrayList<>();
    List<List<String>> keywords = new ArrayList<>();
    for (int g = 0; g < GROUPS_MONITORED; g++) {
      String wa = tenant.simulatedGroup(session, "Group " + g, "4915100009001");
      List<String> own = new ArrayList<>();
      for (int k = 0; k < KEYWORDS; k++) {
        own.add(k % 4 == 0 ? "looking for item" + g + "x" + k : "keyword" + g + "x" + k);
      }
      chats.add(new ChatId(wa));
      keywords.add(own);
      groupIds.add(
          monitored(
              tenant, session, wa, Map.of("monitor_mode", "keywords", "monitor_keywords", own)));
    }

    long beforeWarmUp = detection.examined();
    send(sessionId, chats, keywords, WARM_UP);
    awaitExamined(beforeWarmUp, WARM_UP);

    pause(tenant, groupIds, false);
    long offNanos = send(sessionId, chats, keywords, MESSAGES);
    pause(tenant, groupIds, true);

    long examinedBefore = detection.examined();
    long processedBefore = processed(groupIds);
    long start = System.nanoTime();
    send(sessionId, chats, keywords, MESSAGES);
    long ingestedNanos = System.nanoTime() - start;
    awaitExamined(examinedBefore, MESSAGES);
    long onNanos = System.nanoTime() - start;

    long processed = processed(groupIds) - processedBefore;
    long leads =
        jdbc.sql("SELECT count(*) FROM leads_lead WHERE tenant_id = :tenant")
            .param("tenant", tenant.id())
            .query(Long.class)
            .single();
    long matches =
        jdbc.sql("SELECT count(*) FROM leads_group_message WHERE tenant_id = :tenant AND is_match")
            .param("tenant", tenant.id())
            .query(Long.class)
            .single();
    long scoringStart = System.nanoTime();
    awaitScored(tenant);
    long scoringNanos = System.nanoTime() - scoringStart;

    double on = Benchmarks.perSecond(MESSAGES, onNanos);
    double off = Benchmarks.perSecond(MESSAGES, offNanos);
    Benchmarks.report(
        "Group monitoring ("
            + GROUPS_MONITORED
            + " groups x "
            + KEYWORDS
            + " keywords, "
            + THREADS
            + " threads handing simulated WhatsApp events over)",
        Benchmarks.rate(
            "monitored: stored, matched and leads written (until the last was examined)",
            MESSAGES,
            onNanos),
        Benchmarks.rate("  of which ingestion returned after", MESSAGES, ingestedNanos),
        Benchmarks.rate("ingestion alone (the same groups paused)", MESSAGES, offNanos),
        String.format(Locale.ROOT, "ratio monitored / ingestion alone: %.2f", on / off),
        String.format(
            Locale.ROOT,
            "%,d messages examined, %,d keyword matches, %,d leads (from %,d senders)",
            processed,
            matches,
            leads,
            SENDERS),
        Benchmarks.rate(
            "then scoring every lead (one leads-lead-scoring instance each, embedded engine)",
            leads,
            scoringNanos),
        String.format(
            Locale.ROOT,
            "targets: >= 2,000 msg/s %s; ratio >= 0.8 %s",
            on >= 2_000 ? "met" : "NOT met",
            on / off >= 0.8 ? "met" : "NOT met"));
    assertThat(processed).isEqualTo(MESSAGES);
    assertThat(matches).isGreaterThanOrEqualTo((MESSAGES + WARM_UP) / MATCH_EVERY);
    assertThat(leads).isPositive().isLessThanOrEqualTo(SENDERS);
  }

  /**
   * Hands {@code count} group messages to the sink from the sender threads; answers the time taken.
   */
  private long send(UUID sessionId, List<ChatId> chats, List<List<String>> keywords, int count)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      running.add(
          threads.submit(() -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
              int n = messageNumber.incrementAndGet();
              int group = n % chats.size();
              String phone = String.format(Locale.ROOT, "4917%09d", n % SENDERS);
              String text =
                  n % MATCH_EVERY == 0
                      ? "Hi all, "
                          + keywords.get(group).get(n % KEYWORDS)
                          + " here, what's your best price?"
                      : FILLER[n % FILLER.length] + " #" + n;
              sink.accept(
                  new TransportEvent.MessageReceived(
                      SessionId.of(sessionId),
                      "false_" + chats.get(group).value() + "_BENCH" + n,
                      chats.get(group),
                      new WaIdentity(null, phone, "Member " + (n % SENDERS)),
                      false,
                      TransportEvent.InboundContent.text(text),
                      null,
                      Instant.now()));
            }
            return null;
          }));
    }
    for (Future<?> thread : running) {
      thread.get();
    }
    long elapsed = System.nanoTime() - start;
    threads.shutdown();
    return elapsed;
  }

  private void awaitExamined(long before, long count) throws InterruptedException {
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (detection.examined() - before < count) {
      assertThat(System.nanoTime()).as("examined within 5 minutes").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /**
   * Lets the scoring starter run until every lead of the tenant is scored for its latest activity.
   */
  private void awaitScored(TestTenant tenant) throws InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (jdbc.sql(
                "SELECT count(*) FROM leads_lead WHERE tenant_id = :tenant"
                    + " AND (scored_activity_at IS DISTINCT FROM last_activity_at OR engine_epoch IS NOT NULL)")
            .param("tenant", tenant.id())
            .query(Long.class)
            .single()
        > 0) {
      assertThat(System.nanoTime()).as("scored within 10 minutes").isLessThan(deadline);
      scoring.startDue();
      Thread.sleep(100);
    }
  }

  private void pause(TestTenant tenant, List<String> groupIds, boolean active) {
    for (String id : groupIds) {
      assertThat(tenant.api().patch(GROUPS + "/" + id, Map.of("is_active", active)).status())
          .isEqualTo(200);
    }
  }

  private long processed(List<String> groupIds) {
    return jdbc.sql(
            "SELECT COALESCE(sum(messages_processed), 0) FROM leads_monitored_group WHERE id = ANY(:ids)")
        .param("ids", groupIds.stream().map(UUID::fromString).toArray(UUID[]::new))
        .query(Long.class)
        .single();
  }
}
