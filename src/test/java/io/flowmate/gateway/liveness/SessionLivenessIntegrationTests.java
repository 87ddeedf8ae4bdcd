package io.flowmate.gateway.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.gateway.waha.FakeWaha;
import io.flowmate.support.Api;
import io.flowmate.support.EventStream;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The zombie session against a fake WAHA that goes silent: it accepts every send and never posts an
 * ack or a message (it still reports session states, as WAHA does after a restart). The watchdog's
 * checks are run by the test (they are not scheduled in tests) on a clock the test moves, so
 * minutes of silence take no time. Defaults: silence threshold 5 min, 3 min to recover, three
 * restarts before the report, then one per 30 min.
 */
@ContextConfiguration(initializers = FakeWaha.Properties.class)
@Import(MutableClock.Config.class)
class SessionLivenessIntegrationTests extends IntegrationTest {

  private final FakeWaha waha = FakeWaha.shared();

  @Autowired MutableClock clock;
  @Autowired LivenessWatchdog watchdog;

  @BeforeEach
  void receiveWebhooksHere() {
    waha.webhookTarget(URI.create("http://127.0.0.1:" + port + "/webhooks/waha"));
  }

  /**
   * WAHA dates its webhooks by the real clock (the session works since the time its WORKING webhook
   * carries): the application's clock catches up with it before anything is sent, and only moves
   * forward.
   */
  private void catchUpWithWaha() {
    // In whole milliseconds: PostgreSQL keeps microseconds, and a send rounded up would look
    // younger than the silence threshold by a few nanoseconds.
    Instant now = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    if (clock.instant().isBefore(now)) {
      clock.set(now);
    }
  }

  @Test
  void aSilentSessionIsRestartedOnceWithItsReasonAndComesBackWhenEventsFlowAgain() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = workingSession(tenant);
    String name = transportName(session);
    try (EventStream stream =
        EventStream.withTicket(port, tenant.api(), "/api/v2/sessions/" + session + "/events")) {
      stream.awaitConnected();
      String message = sendAndAwaitSent(tenant, session, "4915100000401", "Your order shipped");
      watchdog.check();
      assertThat(restartCalls(name)).isZero();

      clock.advance(Duration.ofMinutes(5));
      watchdog.check();

      assertThat(restartCalls(name)).isEqualTo(1);
      Api.Response restarts = tenant.api().get("/api/v2/sessions/" + session + "/restarts");
      assertThat(restarts.status()).as(restarts.toString()).isEqualTo(200);
      assertThat(restarts.json().path("total").asInt()).isEqualTo(1);
      JsonNode restart = restarts.json().path("items").get(0);
      assertThat(restart.path("cause").asText()).isEqualTo("silent");
      assertThat(restart.path("reason").asText())
          .startsWith("WhatsApp sent nothing (no ack, no message) for 5 min");
      assertThat(restart.path("outcome").asText()).isEqualTo("awaiting_activity");
      assertThat(newTenant().api().get("/api/v2/sessions/" + session + "/restarts").status())
          .as("another tenant's session")
          .isEqualTo(404);
      JsonNode shown = tenant.api().get("/api/v2/sessions/" + session).json();
      assertThat(shown.path("last_restart").path("id").asText())
          .isEqualTo(restart.path("id").asText());
      stream.awaitLine(line -> line.equals("event:session.restarted"));
      assertThat(stream.data())
          .anySatisfy(data -> assertThat(data).contains("\"cause\":\"silent\""));

      // A second check while the session reconnects does not restart it again.
      awaitReconnected(tenant, session);
      watchdog.check();
      assertThat(restartCalls(name)).isEqualTo(1);

      // WhatsApp talks again: the ack of the message that went unanswered arrives.
      clock.advance(Duration.ofMinutes(1));
      String waMessageId = tenant.api().get("/api/v2/messages/" + message).text("wa_message_id");
      waha.post(name, "message.ack", waha.ackOf(waMessageId, "4915100000401@c.us", 2, "DEVICE"));
      tenant.awaitMessageStatus(message, "delivered");
      clock.advance(Duration.ofMinutes(3));
      watchdog.check();

      assertThat(restartCalls(name)).isEqualTo(1);
      JsonNode settled =
          tenant.api().get("/api/v2/sessions/" + session + "/restarts").json().path("items").get(0);
      assertThat(settled.path("outcome").asText()).isEqualTo("recovered");
      stream.awaitLine(line -> line.equals("event:session.recovered"));
      assertThat(stream.lines()).doesNotContain("event:session.unhealthy");
      assertThat(
              tenant
                  .api()
                  .get("/api/v2/sessions/" + session)
                  .json()
                  .path("unhealthy_since")
                  .isNull())
          .isTrue();
    }
  }

  @Test
  void aSessionThatStaysSilentAfterRestartsIsReportedUnhealthyWithoutARestartStorm() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = workingSession(tenant);
    String name = transportName(session);
    try (EventStream stream =
        EventStream.withTicket(port, tenant.api(), "/api/v2/sessions/" + session + "/events")) {
      stream.awaitConnected();

      // Each round: a message goes out after the last restart, nothing comes back for 5 minutes.
      for (int round = 1; round <= 3; round++) {
        sendAndAwaitSent(tenant, session, "4915100000402", "Reminder number " + round);
        clock.advance(Duration.ofMinutes(5));
        watchdog.check();
        assertThat(restartCalls(name)).isEqualTo(round);
        awaitReconnected(tenant, session);
        clock.advance(Duration.ofMinutes(1));
      }
      sendAndAwaitSent(tenant, session, "4915100000402", "Reminder number 4");
      clock.advance(Duration.ofMinutes(5));
      watchdog.check();

      assertThat(restartCalls(name)).isEqualTo(3);
      stream.awaitLine(line -> line.equals("event:session.unhealthy"));
      JsonNode shown = tenant.api().get("/api/v2/sessions/" + session).json();
      assertThat(shown.path("unhealthy_since").isNull()).isFalse();
      JsonNode restarts =
          tenant.api().get("/api/v2/sessions/" + session + "/restarts").json().path("items");
      assertThat(restarts).hasSize(3);
      assertThat(restarts)
          .allSatisfy(r -> assertThat(r.path("outcome").asText()).isEqualTo("no_effect"));

      // Checks every 30 s for 20 minutes: no restart, no second report.
      for (int i = 0; i < 40; i++) {
        clock.advance(Duration.ofSeconds(30));
        watchdog.check();
      }
      assertThat(restartCalls(name)).isEqualTo(3);

      // 30 minutes after the last restart, one more attempt.
      clock.advance(Duration.ofMinutes(5));
      watchdog.check();
      assertThat(restartCalls(name)).isEqualTo(4);
      assertThat(stream.lines().stream().filter("event:session.unhealthy"::equals)).hasSize(1);
    }
  }

  @Test
  void twoInstancesCheckingAtOnceRestartTheSessionOnce() throws Exception {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = workingSession(tenant);
    String name = transportName(session);
    sendAndAwaitSent(tenant, session, "4915100000403", "Your table is booked");
    clock.advance(Duration.ofMinutes(5));

    // The same silent session judged by two checks at the same moment, as two instances would.
    ExecutorService instances = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch together = new CountDownLatch(1);
      List<Future<?>> checks = new ArrayList<>();
      for (int instance = 0; instance < 2; instance++) {
        checks.add(
            instances.submit(() -> {
              together.await();
              watchdog.check();
              return null;
            }));
      }
      together.countDown();
      for (Future<?> check : checks) {
        check.get(30, TimeUnit.SECONDS);
      }
    } finally {
      instances.shutdownNow();
    }

    assertThat(restartCalls(name)).isEqualTo(1);
    assertThat(
            tenant
                .api()
                .get("/api/v2/sessions/" + session + "/restarts")
                .json()
                .path("total")
                .asInt())
        .isEqualTo(1);
  }

  private String workingSession(TestTenant tenant) {
    Api.Response created =
        tenant.api().post("/api/v2/sessions", Map.of("name", "live-" + UUID.randomUUID()));
    String session = created.text("id");
    assertThat(tenant.api().post("/api/v2/sessions/" + session + "/start").status()).isEqualTo(200);
    tenant.awaitSessionStatus(session, "qr_code");
    waha.scanQrCode(transportName(session));
    tenant.awaitSessionStatus(session, "working");
    catchUpWithWaha();
    return session;
  }

  /** WAHA reported STARTING and WORKING after the restart, and Flowmate recorded both. */
  private void awaitReconnected(TestTenant tenant, String session) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "WORKING".equals(waha.status(transportName(session))));
    tenant.awaitSessionStatus(session, "working");
  }

  private static String sendAndAwaitSent(
      TestTenant tenant, String session, String chat, String text) {
    Api.Response sent =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", chat, "message", text));
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    String message = sent.text("id");
    tenant.awaitMessageStatus(message, "sent");
    return message;
  }

  private long restartCalls(String name) {
    return waha.requests(name, "POST", "/api/sessions/" + name + "/restart").size();
  }

  private static String transportName(String session) {
    return "fm_" + session.replace("-", "");
  }
}
