package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.flowmate.gateway.waha.FakeWaha;
import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.EventStream;
import io.flowmate.support.TestDatabase;
import io.flowmate.support.TestGroups;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.Processes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two Flowmate instances on one PostgreSQL and one engine, as behind a load balancer: the first
 * runs the embedded engine, the second reaches it over gRPC in remote mode, and both talk to one
 * WhatsApp (a fake WAHA that counts what it is asked to send). Work is shared and every piece of it
 * happens once: each inbound event is stored and announced once however the webhooks are spread, a
 * stream on one instance sees what the other stored, each follow-up round goes out once, the
 * engine-epoch reconciliation of both never gives a row a second live instance, and a campaign of
 * {@value #RECIPIENTS} recipients reaches each exactly once, finished by the first instance after
 * the second is stopped half way (with one campaign process instance in all).
 */
class ScaleOutIntegrationTests {

  private static final int RECIPIENTS = 2_000;
  private static final int INBOUND = 60;
  private static final int FOLLOW_UPS = 10;
  private static final String CAMPAIGN_TEXT = "Spring sale, {name}";
  private static final String FOLLOW_UP_TEXT = "Any news, {name}?";

  private final TestDatabase.Coordinates database = TestDatabase.newDatabase();
  private final FakeWaha waha = FakeWaha.start();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stopWaha() {
    waha.stop();
  }

  private Map<String, Object> common() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("flowmate.gateway.transport", "waha");
    properties.put("flowmate.gateway.waha.base-url", waha.baseUrl());
    properties.put("flowmate.gateway.waha.api-key", FakeWaha.API_KEY);
    properties.put("flowmate.gateway.waha.webhook-secret", FakeWaha.SECRET);
    properties.put("flowmate.gateway.waha.webhook-url", FakeWaha.WEBHOOK_URL);
    properties.put("flowmate.gateway.waha.timeout", "5s");
    properties.put("flowmate.admin.api-rate-limit-enabled", false);
    properties.put("flowmate.outreach.campaigns.minimum-delay", "0s");
    properties.put("flowmate.live-events.share-across-instances", true);
    // A job pushed to the instance that is stopped goes to the other one after this.
    properties.put("camunda.client.worker.defaults.timeout", "PT10S");
    // The first engine of a test JVM on a busy machine may take longer than 10 s to deploy.
    properties.put("camunda.client.request-timeout", "PT60S");
    return properties;
  }

  @Test
  void twoInstancesShareTheWorkAndEverythingHappensOnce() throws Exception {
    try (AppInstance first = AppInstance.start(database, common())) {
      EmbeddedEngine engine = first.bean(EmbeddedEngine.class);
      Map<String, Object> remote = common();
      remote.put("flowmate.engine.mode", "remote");
      remote.put("camunda.client.grpc-address", "http://127.0.0.1:" + engine.port());
      remote.put("camunda.client.prefer-rest-over-grpc", false);
      AppInstance second = AppInstance.start(database, remote);
      try {
        assertThat(second.bean(Processes.class).epoch())
            .as("one engine, one epoch, whatever address each instance reaches it through")
            .isEqualTo(first.bean(Processes.class).epoch());
        run(first, second);
      } finally {
        second.close();
      }
    }
  }

  private void run(AppInstance first, AppInstance second) throws Exception {
    URI webhookOfFirst = URI.create("http://127.0.0.1:" + first.port() + "/webhooks/waha");
    URI webhookOfSecond = URI.create("http://127.0.0.1:" + second.port() + "/webhooks/waha");
    waha.webhookTarget(webhookOfFirst);
    JdbcClient jdbc = first.bean(JdbcClient.class);

    Api.Response tenant =
        first
            .operator()
            .post("/api/v2/admin/tenants", Map.of("name", "scale-out", "plan", "business"));
    String key = tenant.text("admin_api_key");
    UUID tenantId = UUID.fromString(tenant.json().get("tenant").get("id").asText());
    Api apiOfFirst = first.api(key);
    Api apiOfSecond = second.api(key);
    apiOfFirst.patch(
        "/api/v2/tenant/settings",
        Map.of("reciprocity_check", false, "chat_history_access_enabled", true));
    String session = apiOfFirst.post("/api/v2/sessions", Map.of("name", "shop")).text("id");
    String name = "fm_" + session.replace("-", "");
    apiOfFirst.post("/api/v2/sessions/" + session + "/start");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> waha.status(name) != null && waha.status(name).equals("SCAN_QR_CODE"));
    waha.scanQrCode(name);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> "working".equals(apiOfSecond.get("/api/v2/sessions/" + session).text("status")));

    inboundIsStoredAndAnnouncedOnceWhicheverInstanceItReaches(
        first, apiOfFirst, name, webhookOfFirst, webhookOfSecond, jdbc);
    followUpsGoOutOnceAndReconcilingTwiceStartsOneInstancePerRow(
        first, second, apiOfFirst, apiOfSecond, session, tenantId, jdbc);
    aCampaignIsFinishedByOneInstanceAfterTheOtherStopsHalfWay(
        first, second, apiOfFirst, apiOfSecond, session, tenantId, jdbc);
  }

  /**
   * WAHA posts every event once to either instance and retries it on the other (as after a lost
   * answer behind a load balancer); a client streams from the first instance.
   */
  private void inboundIsStoredAndAnnouncedOnceWhicheverInstanceItReaches(
      AppInstance first,
      Api apiOfFirst,
      String name,
      URI webhookOfFirst,
      URI webhookOfSecond,
      JdbcClient jdbc) {
    try (EventStream stream =
        EventStream.withTicket(first.port(), apiOfFirst, "/api/v2/messages/events")) {
      stream.awaitConnected();
      // The second instance shares events once it heard that the first has a stream open.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> {
            String waId = deliverIncoming(name, "4916000000999", "ping", webhookOfSecond, null);
            return streamed(stream).contains(waId);
          });

      List<String> waIds = new ArrayList<>();
      for (int i = 0; i < INBOUND; i++) {
        URI firstTry = i % 2 == 0 ? webhookOfSecond : webhookOfFirst;
        URI retry = i % 2 == 0 ? webhookOfFirst : webhookOfSecond;
        waIds.add(
            deliverIncoming(name, "49160000%05d".formatted(i), "Hello " + i, firstTry, retry));
      }

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(streamed(stream)).containsAll(waIds));
      Map<String, Long> announced =
          streamed(stream).stream()
              .filter(waIds::contains)
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertThat(announced.values()).as("each arrival announced once").containsOnly(1L);
    }
    long stored =
        jdbc.sql(
                "SELECT count(*) FROM messaging_message WHERE direction = 'inbound'"
                    + " AND chat_id LIKE '49160000%'")
            .query(Long.class)
            .single();
    assertThat(stored).as("each arrival stored once").isEqualTo(INBOUND + countPings(jdbc));
  }

  private static long countPings(JdbcClient jdbc) {
    return jdbc.sql("SELECT count(*) FROM messaging_message WHERE chat_id = '4916000000999@c.us'")
        .query(Long.class)
        .single();
  }

  /** Posts an incoming text to one instance, then (if given) the same event to the other. */
  private String deliverIncoming(String session, String from, String text, URI target, URI retry) {
    JsonNode payload = waha.incomingText(from + "@c.us", text);
    byte[] envelope = waha.envelope(session, "message", payload);
    assertThat(waha.deliverTo(target, envelope).status()).isEqualTo(200);
    if (retry != null) {
      assertThat(waha.deliverTo(retry, envelope).status()).isBetween(200, 299);
    }
    return payload.get("id").asText();
  }

  private List<String> streamed(EventStream stream) {
    List<String> waIds = new ArrayList<>();
    for (String data : stream.data()) {
      try {
        JsonNode event = json.readTree(data);
        if (event.hasNonNull("wa_message_id")) {
          waIds.add(event.get("wa_message_id").asText());
        }
      } catch (java.io.IOException e) {
        // not an event of interest
      }
    }
    return waIds;
  }

  private void followUpsGoOutOnceAndReconcilingTwiceStartsOneInstancePerRow(
      AppInstance first,
      AppInstance second,
      Api apiOfFirst,
      Api apiOfSecond,
      String session,
      UUID tenantId,
      JdbcClient jdbc)
      throws Exception {
    TestGroups groups = new TestGroups(jdbc);
    List<TestGroups.Member> members = new ArrayList<>();
    for (int i = 0; i < FOLLOW_UPS; i++) {
      members.add(TestGroups.Member.of("49152000%05d".formatted(i), "Contact " + i));
    }
    UUID audience = groups.create(tenantId, members);
    Api.Response rule =
        apiOfSecond.post(
            "/api/v2/follow-ups",
            Map.of(
                "name",
                "no reply in a day",
                "session_id",
                session,
                "custom_group_id",
                audience.toString(),
                "wait",
                "P1D",
                "message_content",
                FOLLOW_UP_TEXT,
                "max_rounds",
                1));
    assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
    String ruleId = rule.text("id");
    for (int i = 0; i < FOLLOW_UPS; i++) {
      Api api = i % 2 == 0 ? apiOfFirst : apiOfSecond;
      Api.Response sent =
          api.post(
              "/api/v2/messages/send",
              Map.of("session_id", session, "chat_id", members.get(i).phone(), "message", "Offer"));
      assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> waitingWithInstance(jdbc, ruleId) == FOLLOW_UPS);
    EmbeddedEngine engine = first.bean(EmbeddedEngine.class);
    assertThat(liveInstances(engine, "outreach-follow-up")).isEqualTo(FOLLOW_UPS);

    // Half the rows lost their start (no key after the grace period), half name an engine that
    // is gone; their instances are gone too. Both instances reconcile at once, three times.
    CamundaClient client = first.bean(CamundaClient.class);
    List<Map<String, Object>> rows =
        jdbc.sql(
                "SELECT id, process_instance_key FROM outreach_follow_up WHERE rule_id = :rule"
                    + " ORDER BY id")
            .param("rule", UUID.fromString(ruleId))
            .query()
            .listOfRows();
    for (int i = 0; i < rows.size(); i++) {
      long key = ((Number) rows.get(i).get("process_instance_key")).longValue();
      client.newCancelInstanceCommand(key).send().join();
      jdbc.sql(
              i % 2 == 0
                  ? "UPDATE outreach_follow_up SET process_instance_key = NULL,"
                      + " engine_claimed_at = now() - interval '1 hour' WHERE id = :id"
                  : "UPDATE outreach_follow_up SET engine_epoch = 'engine:"
                      + UUID.randomUUID()
                      + "' WHERE id = :id")
          .param("id", rows.get(i).get("id"))
          .update();
    }
    String epoch = first.bean(Processes.class).epoch();
    for (int round = 0; round < 3; round++) {
      CompletableFuture.allOf(
              CompletableFuture.runAsync(() -> first.publish(new EngineReady(epoch))),
              CompletableFuture.runAsync(() -> second.publish(new EngineReady(epoch))))
          .join();
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> waitingWithInstance(jdbc, ruleId) == FOLLOW_UPS);
    assertThat(liveInstances(engine, "outreach-follow-up"))
        .as("one live instance per follow-up, however many instances reconciled")
        .isEqualTo(FOLLOW_UPS);
    Set<Long> keys =
        new HashSet<>(
            jdbc.sql(
                    "SELECT process_instance_key FROM outreach_follow_up WHERE rule_id = :rule"
                        + " AND engine_epoch = :epoch")
                .param("rule", UUID.fromString(ruleId))
                .param("epoch", epoch)
                .query(Long.class)
                .list());
    assertThat(keys).hasSize(FOLLOW_UPS).isEqualTo(liveInstanceKeys(engine, "outreach-follow-up"));

    engine.increaseTime(Duration.ofDays(1).plusMinutes(1));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sentTexts(startingWith("Any news")).size() == FOLLOW_UPS);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> liveInstances(engine, "outreach-follow-up") == 0);
    Map<String, Long> perContact = sentTexts(startingWith("Any news"));
    assertThat(perContact).hasSize(FOLLOW_UPS);
    assertThat(perContact.values()).as("each round once").containsOnly(1L);
  }

  private static long waitingWithInstance(JdbcClient jdbc, String ruleId) {
    return jdbc.sql(
            "SELECT count(*) FROM outreach_follow_up WHERE rule_id = :rule AND status = 'waiting'"
                + " AND process_instance_key IS NOT NULL")
        .param("rule", UUID.fromString(ruleId))
        .query(Long.class)
        .single();
  }

  private void aCampaignIsFinishedByOneInstanceAfterTheOtherStopsHalfWay(
      AppInstance first,
      AppInstance second,
      Api apiOfFirst,
      Api apiOfSecond,
      String session,
      UUID tenantId,
      JdbcClient jdbc) {
    TestGroups groups = new TestGroups(jdbc);
    UUID audience = groups.create(tenantId, List.of());
    groups.addGenerated(audience, RECIPIENTS);
    Api.Response created =
        apiOfSecond.post(
            "/api/v2/bulk-send",
            Map.of(
                "session_id",
                session,
                "custom_group_id",
                audience.toString(),
                "message_content",
                CAMPAIGN_TEXT,
                "delay_min_seconds",
                0,
                "delay_max_seconds",
                0));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String job = created.text("id");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> sentTexts(startingWith("Spring sale")).size() >= RECIPIENTS / 4);
    second.close();
    int sentBeforeTheStop = sentTexts(startingWith("Spring sale")).size();
    assertThat(sentBeforeTheStop).as("stopped half way").isLessThan(RECIPIENTS);

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() ->
            assertThat(apiOfFirst.get("/api/v2/bulk-send/" + job).text("status"))
                .isEqualTo("completed"));
    Map<String, Long> perRecipient = sentTexts(startingWith("Spring sale"));
    assertThat(perRecipient).as("nothing lost").hasSize(RECIPIENTS);
    assertThat(perRecipient.values()).as("nothing sent twice").containsOnly(1L);
    JsonNode done = apiOfFirst.get("/api/v2/bulk-send/" + job).json();
    assertThat(done.get("sent_count").asInt()).isEqualTo(RECIPIENTS);
    assertThat(createdInstances(first.bean(EmbeddedEngine.class), "outreach-campaign"))
        .as("the campaign's process instance was created once")
        .isEqualTo(1);
  }

  private static java.util.function.Predicate<String> startingWith(String prefix) {
    return text -> text != null && text.startsWith(prefix);
  }

  /** How many texts WhatsApp was asked to send to each chat, among those the filter accepts. */
  private Map<String, Long> sentTexts(java.util.function.Predicate<String> text) {
    return waha
        .requests(r -> r.method().equals("POST") && r.path().equals("/api/sendText"))
        .stream()
        .filter(r -> text.test(r.body().path("text").asText(null)))
        .collect(
            Collectors.groupingBy(r -> r.body().path("chatId").asText(), Collectors.counting()));
  }

  private static List<Record<ProcessInstanceRecordValue>> processRecords(
      EmbeddedEngine engine, String bpmnProcessId) {
    engine.waitForIdleState(Duration.ofSeconds(10));
    return StreamSupport.stream(
            RecordStream.of(engine.recordStream()).processInstanceRecords().spliterator(), false)
        .filter(r -> r.getRecordType() == RecordType.EVENT)
        .filter(r -> r.getValue().getBpmnElementType() == BpmnElementType.PROCESS)
        .filter(r -> r.getValue().getBpmnProcessId().equals(bpmnProcessId))
        .toList();
  }

  private static long createdInstances(EmbeddedEngine engine, String bpmnProcessId) {
    return processRecords(engine, bpmnProcessId).stream()
        .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED)
        .count();
  }

  private static Set<Long> liveInstanceKeys(EmbeddedEngine engine, String bpmnProcessId) {
    Set<Long> live = new HashSet<>();
    for (Record<ProcessInstanceRecordValue> r : processRecords(engine, bpmnProcessId)) {
      long key = r.getValue().getProcessInstanceKey();
      if (r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED) {
        live.add(key);
      } else if (r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
          || r.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED) {
        live.remove(key);
      }
    }
    return live;
  }

  private static long liveInstances(EmbeddedEngine engine, String bpmnProcessId) {
    return liveInstanceKeys(engine, bpmnProcessId).size();
  }
}
