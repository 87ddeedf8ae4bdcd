package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.core.SessionId;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.messaging.inbound.InboundRecorder;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The vertical slice over HTTP: session → send → outbox → transport → acks → status. */
class MessagingIntegrationTests extends IntegrationTest {

  @Autowired InboundRecorder inboundRecorder;
  @Autowired JdbcClient jdbc;

  @Test
  void sentMessageMovesThroughQueuedSentDeliveredToRead() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();

    Api.Response sent =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", "4915123456789@c.us", "message", "Hello"));

    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    assertThat(sent.text("direction")).isEqualTo("outbound");
    assertThat(sent.text("status")).isIn("queued", "sent", "delivered", "read");
    String id = sent.text("id");
    tenant.awaitMessageStatus(id, "read");
    Api.Response read = tenant.api().get("/api/v2/messages/" + id);
    assertThat(read.text("wa_message_id")).startsWith("true_4915123456789@c.us_");
    assertThat(read.text("sent_at")).isNotNull();
    assertThat(read.text("delivered_at")).isNotNull();
    assertThat(read.text("read_at")).isNotNull();
  }

  @Test
  void retryWithTheSameIdempotencyKeyReturnsTheFirstMessageAndSendsOnce() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    Api keyed = tenant.api().withHeader("Idempotency-Key", "order-4711-confirmation");
    Map<String, Object> body =
        Map.of("session_id", session, "chat_id", "4915100000010", "message", "Your order shipped");

    Api.Response first = keyed.post("/api/v2/messages/send", body);
    Api.Response retry = keyed.post("/api/v2/messages/send", body);
    Api.Response changed =
        keyed.post(
            "/api/v2/messages/send",
            Map.of("session_id", session, "chat_id", "4915100000010", "message", "Something else"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isEqualTo("false");
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.text("id")).isEqualTo(first.text("id"));
    assertThat(changed.status()).isEqualTo(422);
    assertThat(changed.text("detail")).contains("order-4711-confirmation");
    tenant.awaitMessageStatus(first.text("id"), "read");
    assertThat(tenant.deliveredTexts(session)).containsExactly("Your order shipped");
  }

  @Test
  void phoneNumbersAreNormalisedAndInvalidChatIdsRejected() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();

    Api.Response plusNumber = send(tenant, session, "+49 151 0000-0011", "hi");
    Api.Response group = send(tenant, session, "120363012345678901@g.us", "hi group");
    Api.Response invalid = send(tenant, session, "not-a-number", "hi");
    Api.Response emailLike = send(tenant, session, "someone@example.com", "hi");

    assertThat(plusNumber.status()).isEqualTo(201);
    assertThat(plusNumber.text("chat_id")).isEqualTo("4915100000011@c.us");
    assertThat(group.status()).isEqualTo(201);
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.text("detail")).contains("not a valid chat id").contains("@c.us");
    assertThat(emailLike.status()).isEqualTo(422);
  }

  @Test
  void textMustBePresentAndAtMost4096Characters() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();

    Api.Response empty = send(tenant, session, "4915100000012", "");
    Api.Response tooLong = send(tenant, session, "4915100000012", "x".repeat(4097));
    Api.Response longest = send(tenant, session, "4915100000012", "x".repeat(4096));

    assertThat(empty.status()).isEqualTo(422);
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.text("detail")).contains("4097").contains("4096");
    assertThat(longest.status()).isEqualTo(201);
  }

  @Test
  void allowedNumbersBlockEveryOtherRecipient() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    tenant
        .api()
        .patch(
            "/api/v2/tenant/settings",
            Map.of("allowed_numbers", java.util.List.of("4915100000013")));

    Api.Response allowed = send(tenant, session, "4915100000013", "ok");
    Api.Response blocked = send(tenant, session, "4915100000014", "not ok");
    Api.Response group = send(tenant, session, "120363012345678901@g.us", "not ok");

    assertThat(allowed.status()).isEqualTo(201);
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.text("detail")).contains("4915100000014").contains("allowed_numbers");
    assertThat(group.status()).isEqualTo(403);
  }

  @Test
  void sendingThroughAnUnknownSessionIs404() {
    Api.Response response =
        send(newTenant(), "01a20fcc-8004-77b1-be34-6c11398d7717", "4915100000015", "hi");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.text("detail")).contains("Session");
  }

  @Test
  void messageQueuedWhileTheSessionIsStoppedIsSentWhenItWorksAgain() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    tenant.api().post("/api/v2/sessions/" + session + "/stop");
    await()
        .until(
            () -> "stopped".equals(tenant.api().get("/api/v2/sessions/" + session).text("status")));

    Api.Response queued = send(tenant, session, "4915100000016", "wait for the phone");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            String.valueOf(
                    tenant
                        .api()
                        .get("/api/v2/messages/" + queued.text("id"))
                        .text("failure_reason"))
                .contains("waiting for session"));
    assertThat(tenant.api().get("/api/v2/messages/" + queued.text("id")).text("status"))
        .isEqualTo("queued");

    tenant.api().post("/api/v2/sessions/" + session + "/start");

    tenant.awaitMessageStatus(queued.text("id"), "read");
    assertThat(tenant.deliveredTexts(session)).containsExactly("wait for the phone");
  }

  @Test
  void incomingMessageIsStoredOnceEvenWhenReportedTwice() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();

    Api.Response inbound =
        tenant
            .api()
            .post(
                "/api/v2/simulator/sessions/" + session + "/inbound",
                Map.of(
                    "from",
                    "4915100000017",
                    "sender_name",
                    "Maria",
                    "message",
                    "Do you ship to Porto?"));

    assertThat(inbound.status()).isEqualTo(202);
    assertThat(inbound.text("chat_id")).isEqualTo("4915100000017@c.us");
    String waId = inbound.text("wa_message_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> inboundRows(waId) == 1);

    // A webhook transport may report the same message again (retries): it is stored once.
    inboundRecorder.onTransportEvent(
        new TransportEvent.MessageReceived(
            SessionId.of(java.util.UUID.fromString(session)),
            waId,
            io.flowmate.core.ChatId.parse("4915100000017"),
            new io.flowmate.gateway.spi.WaIdentity(null, "4915100000017", "Maria"),
            false,
            TransportEvent.InboundContent.text("Do you ship to Porto?"),
            null,
            java.time.Instant.now()));

    assertThat(inboundRows(waId)).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT body FROM messaging_message WHERE wa_message_id = :id")
                .param("id", waId)
                .query(String.class)
                .single())
        .isEqualTo("Do you ship to Porto?");
  }

  @Test
  void aDifferentMessageUnderAStoredWhatsAppIdIsStoredNotDropped() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    String waId =
        tenant
            .api()
            .post(
                "/api/v2/simulator/sessions/" + session + "/inbound",
                Map.of("from", "4915100000018", "message", "Is the shop open today?"))
            .text("wa_message_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> inboundRows(waId) == 1);
    // A transport that hands the same id out again (as the simulator once did after a restart).
    TransportEvent.MessageReceived other =
        new TransportEvent.MessageReceived(
            io.flowmate.core.SessionId.of(java.util.UUID.fromString(session)),
            waId,
            io.flowmate.core.ChatId.parse("4915100000018"),
            new io.flowmate.gateway.spi.WaIdentity(null, "4915100000018", null),
            false,
            TransportEvent.InboundContent.text("And tomorrow?"),
            null,
            java.time.Instant.now());

    inboundRecorder.onTransportEvent(other);
    inboundRecorder.onTransportEvent(other);

    List<String> stored =
        jdbc.sql(
                "SELECT wa_message_id || ' ' || body FROM messaging_message"
                    + " WHERE session_id = :session AND direction = 'inbound' ORDER BY created_at")
            .param("session", java.util.UUID.fromString(session))
            .query(String.class)
            .list();
    assertThat(stored).hasSize(2);
    assertThat(stored.getFirst()).isEqualTo(waId + " Is the shop open today?");
    assertThat(stored.get(1))
        .as("stored once, under the id with a distinct suffix")
        .matches(java.util.regex.Pattern.quote(waId) + "#[0-9a-f]{8} And tomorrow\\?");
  }

  private long inboundRows(String waId) {
    return jdbc.sql(
            "SELECT count(*) FROM messaging_message WHERE wa_message_id = :id AND direction = 'inbound'")
        .param("id", waId)
        .query(Long.class)
        .single();
  }

  private static Api.Response send(TestTenant tenant, String session, String chatId, String text) {
    return tenant
        .api()
        .post(
            "/api/v2/messages/send",
            Map.of("session_id", session, "chat_id", chatId, "message", text));
  }
}
