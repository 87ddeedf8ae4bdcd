package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.gateway.RecordedTransportEvents;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * Flowmate with the WAHA transport, driven only through its public API and WAHA's webhooks: a
 * session is created in WAHA with Flowmate's webhook, pairs, and a message sent over the API
 * reaches WAHA's {@code sendText} and moves on to delivered and read as WAHA's acks arrive.
 */
@ContextConfiguration(initializers = FakeWaha.Properties.class)
@Import(RecordedTransportEvents.Config.class)
class WahaEndToEndIntegrationTests extends IntegrationTest {

  private final FakeWaha waha = FakeWaha.shared();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void receiveWebhooksHere() {
    waha.webhookTarget(URI.create("http://127.0.0.1:" + port + "/webhooks/waha"));
  }

  @Test
  void startingASessionCreatesItInWahaWithFlowmatesWebhook() throws Exception {
    TestTenant tenant = newTenant();
    String id = tenant.api().post("/api/v2/sessions", Map.of("name", "shop")).text("id");
    String name = "fm_" + id.replace("-", "");

    Api.Response started = tenant.api().post("/api/v2/sessions/" + id + "/start");

    assertThat(started.status()).isEqualTo(200);
    List<FakeWaha.Request> lookups = waha.requests(name, "GET", "/api/sessions/" + name);
    assertThat(lookups).hasSize(1);
    List<FakeWaha.Request> creations = waha.requests(name, "POST", "/api/sessions");
    assertThat(creations).hasSize(1);
    FakeWaha.Request create = creations.getFirst();
    assertThat(create.header("X-Api-Key")).isEqualTo(FakeWaha.API_KEY);
    JSONAssert.assertEquals(
        """
        {"name": "%s", "start": true, "config": {
          "webhooks": [{"url": "%s",
            "events": ["session.status", "message", "message.any", "message.ack", "message.reaction",
                       "message.revoked", "message.edited", "poll.vote", "group.v2.join", "group.v2.leave",
                       "group.v2.update", "group.v2.participants", "label.upsert", "label.deleted",
                       "label.chat.added", "label.chat.deleted"],
            "hmac": {"key": "%s"},
            "retries": {"policy": "exponential", "delaySeconds": 2, "attempts": 8}}],
          "metadata": {"flowmate.session_id": "%s"}}}\
        """
            .formatted(name, FakeWaha.WEBHOOK_URL, FakeWaha.SECRET, id),
        create.body().toString(),
        JSONCompareMode.STRICT);
    awaitStatus(tenant, id, "qr_code");
    Api.Response qr = tenant.api().get("/api/v2/sessions/" + id + "/qr?format=raw");
    assertThat(qr.status()).as(qr.toString()).isEqualTo(200);
    assertThat(qr.text("value")).isEqualTo("2@FAKEQR," + name);
    assertThat(waha.requests(name, "GET", "/api/" + name + "/auth/qr").getLast().query())
        .isEqualTo("format=raw");
  }

  @Test
  void aSessionWorksOnceWahaSaysSo() {
    TestTenant tenant = newTenant();
    String id = startedSession(tenant);
    String name = "fm_" + id.replace("-", "");

    waha.scanQrCode(name);

    awaitStatus(tenant, id, "working");
    Api.Response session = tenant.api().get("/api/v2/sessions/" + id);
    assertThat(session.text("phone_number")).isEqualTo(FakeWaha.phoneOf(name));
    assertThat(session.text("push_name")).isEqualTo("Fake phone");
  }

  @Test
  void aMessageSentOverTheApiReachesWahaAndFollowsItsAcks() throws Exception {
    TestTenant tenant = newTenant();
    String id = startedSession(tenant);
    String name = "fm_" + id.replace("-", "");
    waha.scanQrCode(name);
    awaitStatus(tenant, id, "working");
    // The contact writes first: reciprocity_check (on by default) lets Flowmate answer.
    assertThat(
            waha.post(
                    name,
                    "message",
                    waha.incomingText("4915100000301@c.us", "Do you have size 42?"))
                .status())
        .isEqualTo(200);

    Api.Response sent =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of(
                    "session_id",
                    id,
                    "chat_id",
                    "4915100000301",
                    "message",
                    "Yes, size 42 is in stock"));

    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    String messageId = sent.text("id");
    FakeWaha.Request sendText =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> waha.requests(name, "POST", "/api/sendText"), requests -> !requests.isEmpty())
            .getFirst();
    assertThat(sendText.header("X-Api-Key")).isEqualTo(FakeWaha.API_KEY);
    JSONAssert.assertEquals(
        """
        {"session": "%s", "chatId": "4915100000301@c.us", "text": "Yes, size 42 is in stock", "linkPreview": true}\
        """
            .formatted(name),
        sendText.body().toString(),
        JSONCompareMode.STRICT);
    tenant.awaitMessageStatus(messageId, "sent");
    String waMessageId = tenant.api().get("/api/v2/messages/" + messageId).text("wa_message_id");
    assertThat(waMessageId).startsWith("true_4915100000301@c.us_FAKE");
    assertThat(waha.requests(name, "POST", "/api/sendText")).hasSize(1);

    waha.post(name, "message.ack", waha.ackOf(waMessageId, "4915100000301@c.us", 2, "DEVICE"));
    tenant.awaitMessageStatus(messageId, "delivered");
    waha.post(name, "message.ack", waha.ackOf(waMessageId, "4915100000301@c.us", 3, "READ"));
    tenant.awaitMessageStatus(messageId, "read");
  }

  private String startedSession(TestTenant tenant) {
    String id =
        tenant.api().post("/api/v2/sessions", Map.of("name", "s-" + UUID.randomUUID())).text("id");
    assertThat(tenant.api().post("/api/v2/sessions/" + id + "/start").status()).isEqualTo(200);
    awaitStatus(tenant, id, "qr_code");
    return id;
  }

  private static void awaitStatus(TestTenant tenant, String id, String status) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(tenant.api().get("/api/v2/sessions/" + id).text("status"))
                .isEqualTo(status));
  }
}
