package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowmate.core.ChatId;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEventListener;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Attacks on the inbound path with the WAHA transport: retries that race the first delivery, acks
 * acknowledged before they are stored, and a slow WAHA that would hold database connections.
 */
@ContextConfiguration(
    initializers = {FakeWaha.Properties.class, InboundAttackTests.WahasOwnTimeout.class})
@Import(InboundAttackTests.GateConfig.class)
class InboundAttackTests extends IntegrationTest {

  private final FakeWaha waha = FakeWaha.shared();
  private final ObjectMapper json = new ObjectMapper();
  @Autowired InFlightGate gate;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void receiveWebhooksHere() {
    waha.webhookTarget(URI.create("http://127.0.0.1:" + port + "/webhooks/waha"));
  }

  /**
   * A WAHA retry that arrives while the first delivery is still being stored is not answered 200.
   */
  @Test
  void aRetryOfAnEventStillInFlightIsRefusedSoThatWahaTriesAgain() throws Exception {
    TestTenant tenant = newTenant();
    String name =
        sessionName(tenant.api().post("/api/v2/sessions", Map.of("name", "inflight")).text("id"));
    JsonNode message = waha.incomingText("4915100000401@c.us", "Is the flat still free?");
    String waId = message.path("id").asText();
    byte[] body = waha.envelope(name, "message", message);
    gate.hold(waId);

    CompletableFuture<Api.Response> first = CompletableFuture.supplyAsync(() -> deliver(body));
    gate.awaitEntered(waId);
    Api.Response retry = deliver(body);

    assertThat(retry.status()).as(retry.toString()).isEqualTo(503);
    assertThat(retry.header("Content-Type")).startsWith("application/problem+json");
    assertThat(retry.text("detail")).contains("still being handled");
    assertThat(stored(waId)).isZero();
    // The first attempt then fails: WAHA was told to retry both, so the event is not lost.
    gate.release(waId, true);
    assertThat(first.get(15, TimeUnit.SECONDS).status()).isEqualTo(503);
    Api.Response again = deliver(body);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(stored(waId)).isEqualTo(1);
    assertThat(deliver(body).status()).isEqualTo(200);
    assertThat(stored(waId)).isEqualTo(1);
  }

  /** A delivery ack is not acknowledged to WAHA before it is written to the database. */
  @Test
  void anAckIsAnsweredOnlyOnceItIsStored() throws Exception {
    TestTenant tenant = newTenant();
    String id = workingSession(tenant);
    String name = sessionName(id);
    assertThat(
            waha.post(name, "message", waha.incomingText("4915100000402@c.us", "Hello?")).status())
        .isEqualTo(200);
    String messageId =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", id, "chat_id", "4915100000402", "message", "Hi"))
            .text("id");
    tenant.awaitMessageStatus(messageId, "sent");
    String waMessageId = tenant.api().get("/api/v2/messages/" + messageId).text("wa_message_id");
    byte[] ack =
        waha.envelope(
            name, "message.ack", waha.ackOf(waMessageId, "4915100000402@c.us", 3, "READ"));

    CompletableFuture<Api.Response> answer;
    try (Connection lock = dataSource.getConnection()) {
      // Another transaction holds the message row: the ack cannot be written until it ends.
      lock.setAutoCommit(false);
      try (PreparedStatement select =
          lock.prepareStatement("SELECT id FROM messaging_message WHERE id = ? FOR UPDATE")) {
        select.setObject(1, UUID.fromString(messageId));
        select.executeQuery().close();
      }
      answer = CompletableFuture.supplyAsync(() -> deliver(ack));
      await().atMost(Duration.ofSeconds(15)).until(() -> answer.isDone() || waitingOnLocks() > 0);
      if (answer.isDone()) {
        assertThat(statusOf(messageId))
            .as("WAHA got %d although the ack is not stored", answer.get().status())
            .isEqualTo("read");
      }
      lock.rollback();
    }
    assertThat(answer.get(15, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(statusOf(messageId)).isEqualTo("read");
  }

  /** A slow WAHA holding label calls does not take the connection pool from other tenants. */
  @Test
  void aSlowWahaAnsweringLabelCallsDoesNotStallOtherTenants() throws Exception {
    TestTenant tenant = newTenant();
    String id = workingSession(tenant);
    // Eight labels, one sync each: the same label pushed eight times at once would race WhatsApp's
    // own label events, which is not what this test is about.
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      labels.add(tenant.api().post("/api/v2/labels", Map.of("name", "VIP " + i)).text("id"));
    }
    TestTenant other = newTenant();
    List<CompletableFuture<Api.Response>> syncs = new ArrayList<>();
    try (FakeWaha.Hold slow = waha.hold("POST", "/api/" + sessionName(id) + "/labels")) {
      for (String label : labels) {
        syncs.add(
            CompletableFuture.supplyAsync(
                () -> tenant.api().post("/api/v2/labels/" + label + "/sync?session_id=" + id)));
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> slow.waiting() >= 8);

      assertAnswersPromptly(other);
    }
    for (CompletableFuture<Api.Response> sync : syncs) {
      Api.Response answer = sync.get(15, TimeUnit.SECONDS);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }
  }

  /**
   * A slow WAHA answering session deletions does not take the connection pool from other tenants.
   */
  @Test
  void aSlowWahaAnsweringSessionDeletionsDoesNotStallOtherTenants() throws Exception {
    TestTenant tenant = newTenant();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(tenant.api().post("/api/v2/sessions", Map.of("name", "gone-" + i)).text("id"));
    }
    TestTenant other = newTenant();
    List<CompletableFuture<Api.Response>> deletions = new ArrayList<>();
    try (FakeWaha.Hold slow = waha.hold("DELETE", "/api/sessions/fm_.*")) {
      for (String id : ids) {
        deletions.add(
            CompletableFuture.supplyAsync(() -> tenant.api().delete("/api/v2/sessions/" + id)));
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> slow.waiting() >= 8);

      assertAnswersPromptly(other);
    }
    for (CompletableFuture<Api.Response> deletion : deletions) {
      assertThat(deletion.get(15, TimeUnit.SECONDS).status()).isBetween(200, 204);
    }
  }

  /**
   * A chat-label webhook naming a label Flowmate must look up in a slow WAHA does not stall the
   * inbound writers that store every tenant's events.
   */
  @Test
  void aLabelLookupInASlowWahaDoesNotStallOtherTenantsInboundEvents() throws Exception {
    TestTenant tenant = newTenant();
    String name = sessionName(workingSession(tenant));
    TestTenant other = newTenant();
    String otherName =
        sessionName(other.api().post("/api/v2/sessions", Map.of("name", "busy")).text("id"));
    List<CompletableFuture<Api.Response>> labelEvents = new ArrayList<>();
    try (FakeWaha.Hold slow = waha.hold("GET", "/api/" + name + "/labels")) {
      // One chat per inbound writer lane (two by default), so that every lane meets the slow
      // lookup.
      for (String chat : chatsInEachLane(2)) {
        ObjectNode payload = json.createObjectNode().put("chatId", chat).put("labelId", "99");
        byte[] event = waha.envelope(name, "label.chat.added", payload);
        labelEvents.add(CompletableFuture.supplyAsync(() -> deliver(event)));
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> slow.waiting() >= 2);

      JsonNode message = waha.incomingText("4915100000403@c.us", "Still open today?");
      CompletableFuture<Api.Response> stored =
          CompletableFuture.supplyAsync(
              () -> deliver(waha.envelope(otherName, "message", message)));
      assertThat(stored.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(stored(message.path("id").asText())).isEqualTo(1);
    }
    for (CompletableFuture<Api.Response> labelEvent : labelEvents) {
      assertThat(labelEvent.get(15, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  /**
   * A WAHA failing while a session starts answers 409 with a detail (not 500); a later start works.
   */
  @Test
  void aWahaFailureWhileStartingASessionIsAConflictNotAServerError() {
    TestTenant tenant = newTenant();
    String id = tenant.api().post("/api/v2/sessions", Map.of("name", "flaky")).text("id");
    waha.failNext("POST /api/sessions", 500, "{\"statusCode\":500,\"message\":\"engine crashed\"}");

    Api.Response started = tenant.api().post("/api/v2/sessions/" + id + "/start");

    assertThat(started.status()).as(started.toString()).isEqualTo(409);
    assertThat(started.header("Content-Type")).startsWith("application/problem+json");
    assertThat(started.text("detail")).contains("try again").doesNotContain(waha.baseUrl());
    assertThat(tenant.api().post("/api/v2/sessions/" + id + "/start").status()).isEqualTo(200);
    awaitStatus(tenant, id, "qr_code");
  }

  private static void assertAnswersPromptly(TestTenant other) throws Exception {
    CompletableFuture<Api.Response> listed =
        CompletableFuture.supplyAsync(() -> other.api().get("/api/v2/sessions"));
    assertThat(listed.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  private static List<String> chatsInEachLane(int lanes) {
    List<String> chats = new ArrayList<>();
    for (long phone = 4915100000500L; chats.size() < lanes; phone++) {
      String chat = phone + "@c.us";
      if (Math.floorMod(ChatId.parse(chat).value().hashCode(), lanes) == chats.size()) {
        chats.add(chat);
      }
    }
    return chats;
  }

  private String workingSession(TestTenant tenant) {
    String id =
        tenant.api().post("/api/v2/sessions", Map.of("name", "s-" + UUID.randomUUID())).text("id");
    assertThat(tenant.api().post("/api/v2/sessions/" + id + "/start").status()).isEqualTo(200);
    awaitStatus(tenant, id, "qr_code");
    waha.scanQrCode(sessionName(id));
    awaitStatus(tenant, id, "working");
    return id;
  }

  private static void awaitStatus(TestTenant tenant, String id, String status) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(tenant.api().get("/api/v2/sessions/" + id).text("status"))
                .isEqualTo(status));
  }

  private Api.Response deliver(byte[] body) {
    return anonymous()
        .withHeader("X-Webhook-Hmac", WebhookSignature.sign(FakeWaha.SECRET, body))
        .withHeader("X-Webhook-Hmac-Algorithm", "sha512")
        .raw(
            "POST", "/webhooks/waha", new String(body, StandardCharsets.UTF_8), "application/json");
  }

  private long stored(String waMessageId) {
    return jdbc.sql("SELECT count(*) FROM messaging_message WHERE wa_message_id = :id")
        .param("id", waMessageId)
        .query(Long.class)
        .single();
  }

  private String statusOf(String messageId) {
    return jdbc.sql("SELECT status FROM messaging_message WHERE id = :id")
        .param("id", UUID.fromString(messageId))
        .query(String.class)
        .single();
  }

  private long waitingOnLocks() {
    return jdbc.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
        .query(Long.class)
        .single();
  }

  private static String sessionName(String id) {
    return "fm_" + id.replace("-", "");
  }

  /**
   * Holds incoming messages with armed WhatsApp ids before anything stores them, and can make them
   * fail when released: a delivery that is still in flight, then fails.
   */
  static final class InFlightGate implements TransportEventListener, Ordered {

    private record Armed(CountDownLatch entered, CountDownLatch released, boolean[] fail) {}

    private final Map<String, Armed> armed = new ConcurrentHashMap<>();

    void hold(String waId) {
      armed.put(waId, new Armed(new CountDownLatch(1), new CountDownLatch(1), new boolean[1]));
    }

    void awaitEntered(String waId) throws InterruptedException {
      assertThat(armed.get(waId).entered().await(15, TimeUnit.SECONDS)).isTrue();
    }

    void release(String waId, boolean fail) {
      Armed gate = armed.get(waId);
      gate.fail()[0] = fail;
      gate.released().countDown();
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void onTransportEvent(TransportEvent event) {
      if (!(event instanceof TransportEvent.MessageReceived received)) {
        return;
      }
      Armed gate = armed.get(received.providerMessageId());
      if (gate == null) {
        return;
      }
      gate.entered().countDown();
      try {
        gate.released().await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      armed.remove(received.providerMessageId());
      if (gate.fail()[0]) {
        throw new IllegalStateException("storing failed (test)");
      }
    }
  }

  /**
   * WAHA calls time out after 30 s, as by default (not the 5 s of the other WAHA tests): the held
   * calls must outlast the checks made while they are held.
   */
  static class WahasOwnTimeout
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      TestPropertyValues.of("flowmate.gateway.waha.timeout=30s").applyTo(context);
    }
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class GateConfig {
    @Bean
    InFlightGate inFlightGate() {
      return new InFlightGate();
    }
  }
}
