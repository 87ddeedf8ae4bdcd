package io.flowmate.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.flowmate.gateway.spi.WhatsAppTransport;
import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * Attacks on the outbox's claims with two Flowmate instances on one database: a holder that stalled
 * past its lease comes back after another instance took the message over, and a send slower than
 * the lease races the other instance's recovery. Nothing may leave twice. And a burst queued for a
 * paced number, which must not cost a rewrite of the queue for every message sent.
 */
@TestPropertySource(
    properties = {
      "flowmate.messaging.claim-lease=" + OutboxAttackTests.LEASE,
      "flowmate.messaging.governor.typing.enabled=true",
      "flowmate.messaging.governor.typing.min=5ms",
      "flowmate.messaging.governor.typing.max=5ms",
      "flowmate.admin.api-rate-limit-enabled=false"
    })
class OutboxAttackTests extends IntegrationTest {

  static final String LEASE = "2s";
  private static final Duration LEASE_TIME = Duration.ofSeconds(2);
  private static final String CONTACT = "4915100000070";

  @Autowired JdbcClient jdbc;
  @Autowired OutboxDispatcher dispatcher;

  /** This instance's transport, spied on to hold its lane inside a send. */
  @MockitoSpyBean WhatsAppTransport transport;

  @Value("${spring.datasource.url}")
  String url;

  @Value("${spring.datasource.username}")
  String username;

  @Value("${spring.datasource.password}")
  String password;

  /**
   * Attack: a holder stalls past its lease, another instance takes the message over, the holder
   * resumes.
   */
  @Test
  void aHolderWhoseLapsedClaimWasTakenOverStopsWithoutSendingOrRecording() throws Exception {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    doAnswer(
            call -> {
              stalled.countDown();
              resume.await(30, TimeUnit.SECONDS);
              return call.callRealMethod();
            })
        .when(transport)
        .typing(any(), any(), eq(true));
    String id = send(tenant, session, "taken over");
    assertThat(stalled.await(10, TimeUnit.SECONDS))
        .as("this instance claimed the message")
        .isTrue();

    try (AppInstance other = AppInstance.start(database())) {
      Api otherApi = other.api(tenant.adminKey());
      // The holder stalls (a GC pause, a partition) until its lease has lapsed.
      jdbc.sql(
              "UPDATE messaging_message SET lease_until = now() - interval '1 second' WHERE id = :id")
          .param("id", UUID.fromString(id))
          .update();
      tenant.awaitMessageStatus(id, "read");
      assertThat(deliveries(otherApi, session)).containsExactly("taken over");
      String takenOverId = tenant.api().get("/api/v2/messages/" + id).text("wa_message_id");

      resume.countDown();
      awaitLanesIdle();

      assertThat(deliveries(tenant.api(), session)).as("sent again by the stale holder").isEmpty();
      verify(transport, never()).send(any(), any(), any(), any());
      assertThat(tenant.api().get("/api/v2/messages/" + id).text("wa_message_id"))
          .isEqualTo(takenOverId);
      assertThat(tenant.api().get("/api/v2/messages/" + id).text("status")).isEqualTo("read");
    } finally {
      resume.countDown();
    }
  }

  /**
   * Attack: a send slower than the lease while another instance sweeps for lapsed claims to send
   * again.
   */
  @Test
  void aSendSlowerThanTheLeaseKeepsItsClaimAndLeavesOnce() throws Exception {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    doAnswer(
            call -> {
              sending.countDown();
              resume.await(60, TimeUnit.SECONDS);
              return call.callRealMethod();
            })
        .when(transport)
        .send(any(), any(), any(), any());
    String id = send(tenant, session, "slow send");
    assertThat(sending.await(10, TimeUnit.SECONDS))
        .as("this instance is handing the message over")
        .isTrue();

    try (AppInstance other = AppInstance.start(database())) {
      Api otherApi = other.api(tenant.adminKey());
      Instant otherSweeping =
          jdbc.sql("SELECT now()").query((rs, row) -> rs.getTimestamp(1).toInstant()).single();
      // Its sweeps run every 100 ms: a lease not renewed past this point would have been taken
      // over.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> leaseUntil(id).isAfter(otherSweeping.plus(LEASE_TIME.multipliedBy(2))));
      assertThat(storedStatus(id))
          .as("still claimed (the API shows it queued)")
          .isEqualTo("sending");
      assertThat(deliveries(otherApi, session)).isEmpty();

      resume.countDown();
      tenant.awaitMessageStatus(id, "read");
      assertThat(deliveries(tenant.api(), session)).containsExactly("slow send");
      assertThat(deliveries(otherApi, session)).as("sent again by the other instance").isEmpty();
    } finally {
      resume.countDown();
    }
  }

  /**
   * Attack: a burst queued for one paced number, so that every send claims and gives back the whole
   * queue.
   */
  @Test
  void aBurstForAPacedNumberWaitsWithoutItsRowsBeingRewritten() {
    Map<String, Object> pacing = Map.of("flowmate.messaging.governor.pacing", "true");
    try (AppInstance paced = AppInstance.start(TestDatabase.newDatabase(), pacing)) {
      TestTenant tenant = tenant(paced, "free").allowingColdMessages();
      String session = tenant.workingSession();
      List<String> ids =
          List.of(
                  "4915100000081",
                  "4915100000082",
                  "4915100000083",
                  "4915100000084",
                  "4915100000085")
              .stream()
              .map(chat -> send(tenant, session, chat, "Spring sale starts today"))
              .toList();

      tenant.awaitMessageStatus(ids.get(0), "read");
      // The free plan's 10 a minute: the others wait out a gap of seconds, and the API says why.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() ->
              assertThat(tenant.api().get("/api/v2/messages/" + ids.get(4)).text("failure_reason"))
                  .contains("spacing sends"));

      List<String> rewritten =
          paced
              .bean(JdbcClient.class)
              .sql(
                  """
                  SELECT id::text FROM messaging_message
                  WHERE id = ANY (CAST(:ids AS uuid[])) AND (updated_at <> created_at OR attempts <> 0)
                  """)
              .param(
                  "ids",
                  ids.subList(1, ids.size()).stream().map(UUID::fromString).toArray(UUID[]::new))
              .query(String.class)
              .list();
      assertThat(rewritten).as("waiting messages claimed and given back").isEmpty();
      assertThat(tenant.deliveredTexts(session)).hasSize(1);
    }
  }

  /** A tenant of another Flowmate instance. */
  private static TestTenant tenant(AppInstance app, String plan) {
    Api.Response created =
        app.operator().post("/api/v2/admin/tenants", Map.of("name", "t-burst", "plan", plan));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String key = created.text("admin_api_key");
    return new TestTenant(
        UUID.fromString(created.json().get("tenant").get("id").asText()), key, app.api(key));
  }

  private TestDatabase.Coordinates database() {
    return new TestDatabase.Coordinates(url, username, password);
  }

  private Instant leaseUntil(String id) {
    return jdbc.sql("SELECT lease_until FROM messaging_message WHERE id = :id")
        .param("id", UUID.fromString(id))
        .query((rs, row) ->
            rs.getTimestamp(1) == null ? Instant.EPOCH : rs.getTimestamp(1).toInstant())
        .optional()
        .orElse(Instant.EPOCH);
  }

  private String storedStatus(String id) {
    return jdbc.sql("SELECT status FROM messaging_message WHERE id = :id")
        .param("id", UUID.fromString(id))
        .query(String.class)
        .single();
  }

  private void awaitLanesIdle() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.lanesState().get("running").equals(0));
  }

  private static List<String> deliveries(Api api, String session) {
    return api.get("/api/v2/simulator/sessions/" + session + "/deliveries")
        .json()
        .findValuesAsText("body");
  }

  private static String send(TestTenant tenant, String session, String text) {
    return send(tenant, session, CONTACT, text);
  }

  private static String send(TestTenant tenant, String session, String chat, String text) {
    Api.Response response =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", chat, "message", text));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.text("id");
  }
}
