package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.RecordedTransportEvents;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.SendOptions;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SessionRef;
import io.flowmate.gateway.spi.WhatsAppTransport;
import io.flowmate.gateway.waha.FakeWaha;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Crash recovery with WAHA, which keeps no idempotency keys: a lapsed claim is settled by finding
 * the message among the number's recent messages in the chat (the fake WAHA lists what it was
 * sent). Runs in the same application as the WAHA end-to-end tests.
 */
@ContextConfiguration(initializers = FakeWaha.Properties.class)
@Import(RecordedTransportEvents.Config.class)
class OutboxRecoveryWithWahaIntegrationTests extends IntegrationTest {

  private final FakeWaha waha = FakeWaha.shared();

  @Autowired JdbcClient jdbc;
  @Autowired WhatsAppTransport transport;

  private LeftBehindClaims claims;

  @BeforeEach
  void setUp() {
    waha.webhookTarget(URI.create("http://127.0.0.1:" + port + "/webhooks/waha"));
    claims = new LeftBehindClaims(jdbc);
  }

  @Test
  void claimLapsedAfterWahaAcceptedIsRecordedAsSentWithWahasId() {
    Claim claim = leftBehind("4915100000501", "Your parcel left the depot");
    // The dead dispatcher had handed it over; WAHA's answer died with it.
    SendReceipt accepted =
        transport.send(
            new SessionRef(SessionId.of(UUID.fromString(claim.session())), null),
            ChatId.parse("4915100000501"),
            new OutboundMessage.Text("Your parcel left the depot"),
            new SendOptions(claim.messageId(), null));

    claims.lapse(claim.messageId());

    claim.tenant().awaitMessageStatus(claim.messageId(), "sent");
    assertThat(claim.message().text("wa_message_id")).isEqualTo(accepted.providerMessageId());
    assertThat(textsSent(claim)).hasSize(1);
  }

  @Test
  void claimLapsedBeforeWahaAcceptedIsSentOnce() {
    Claim claim = leftBehind("4915100000502", "Your parcel arrives today");
    assertThat(textsSent(claim)).isEmpty();

    claims.lapse(claim.messageId());

    claim.tenant().awaitMessageStatus(claim.messageId(), "sent");
    assertThat(textsSent(claim)).hasSize(1);
    assertThat(claim.message().text("wa_message_id")).startsWith("true_4915100000502@c.us_FAKE");
  }

  @Test
  void aLookupWahaCannotAnswerNowIsAskedAgainOnTheNextSweep() {
    Claim claim = leftBehind("4915100000503", "Your parcel is delayed");
    String list = "/api/" + claim.wahaName() + "/chats/4915100000503%40c.us/messages";
    waha.failNext("GET " + list, 503, "{\"statusCode\":503,\"message\":\"engine restarting\"}");

    claims.lapse(claim.messageId());

    claim.tenant().awaitMessageStatus(claim.messageId(), "sent");
    assertThat(waha.requests(claim.wahaName(), "GET", list)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(textsSent(claim)).hasSize(1);
  }

  @Test
  void aMessageWahaCanNeverTellAboutIsFailedRatherThanSentAgain() {
    Claim claim = leftBehind("4915100000504", "Your parcel was returned");
    waha.failNext(
        "GET /api/" + claim.wahaName() + "/chats/4915100000504%40c.us/messages",
        400,
        "{\"statusCode\":400,\"message\":[\"filter.timestamp.gte must be a number\"]}");

    claims.lapse(claim.messageId());

    claim.tenant().awaitMessageStatus(claim.messageId(), "failed");
    assertThat(claim.message().text("failure_reason"))
        .startsWith("WhatsApp may or may not have accepted this message; not re-sent")
        .contains("filter.timestamp.gte must be a number");
    assertThat(textsSent(claim)).isEmpty();
  }

  @Test
  void aSendWahaCarriedOutButAnsweredWithAServerErrorIsLookedUpNotSentAgain() {
    Claim claim = working("4915100000505", "Your parcel is at the door");
    waha.failNextAfterCarryingOut(
        "POST /api/sendText", 500, "{\"statusCode\":500,\"message\":\"engine hiccup\"}");

    String id = claim.send();

    claim.tenant().awaitMessageStatus(id, "sent");
    assertThat(textsSent(claim)).as("handed to WAHA once").hasSize(1);
    assertThat(waha.sentTo(claim.wahaName(), "4915100000505@c.us")).hasSize(1);
    assertThat(claim.message(id).text("wa_message_id"))
        .isEqualTo(
            waha.sentTo(claim.wahaName(), "4915100000505@c.us").getFirst().path("id").asText());
  }

  @Test
  void aSendWahaCarriedOutButAnsweredTooLateIsLookedUpNotSentAgain() {
    Claim claim = working("4915100000506", "Your parcel was signed for");
    // Later than the 5 s Flowmate waits for WAHA in these tests.
    waha.answerNextLate("POST /api/sendText", Duration.ofSeconds(7));

    String id = claim.send();

    claim.tenant().awaitMessageStatus(id, "sent");
    assertThat(textsSent(claim)).as("handed to WAHA once").hasSize(1);
    assertThat(waha.sentTo(claim.wahaName(), "4915100000506@c.us")).hasSize(1);
  }

  @Test
  void aServerErrorBeforeWahaCarriedTheSendOutIsLookedUpThenSentOnce() {
    Claim claim = working("4915100000507", "Your parcel needs a signature");
    waha.failNext("POST /api/sendText", 503, "{\"statusCode\":503,\"message\":\"restarting\"}");

    String id = claim.send();

    claim.tenant().awaitMessageStatus(id, "sent");
    List<FakeWaha.Request> lookups =
        waha.requests(
            claim.wahaName(),
            "GET",
            "/api/" + claim.wahaName() + "/chats/4915100000507%40c.us/messages");
    assertThat(lookups).as("asked before sending again").isNotEmpty();
    assertThat(textsSent(claim)).as("the refused call and the one that went").hasSize(2);
    assertThat(waha.sentTo(claim.wahaName(), "4915100000507@c.us")).hasSize(1);
  }

  @Test
  void aSendWahaRefusesWithA4xxIsNotLookedUp() {
    Claim claim = working("4915100000508", "Your parcel cannot be delivered");
    waha.failNext(
        "POST /api/sendText",
        400,
        "{\"statusCode\":400,\"message\":[\"chatId must be a string\"]}");

    String id = claim.send();

    claim.tenant().awaitMessageStatus(id, "failed");
    assertThat(
            waha.requests(
                claim.wahaName(),
                "GET",
                "/api/" + claim.wahaName() + "/chats/4915100000508%40c.us/messages"))
        .as("known not sent: nothing to look up")
        .isEmpty();
    assertThat(waha.sentTo(claim.wahaName(), "4915100000508@c.us")).isEmpty();
  }

  /** A text a dead dispatcher had claimed, in a session of its own tenant. */
  private record Claim(
      TestTenant tenant, String session, String chat, String messageId, String text) {

    String wahaName() {
      return new SessionRef(SessionId.of(UUID.fromString(session)), null).transportName();
    }

    Api.Response message() {
      return message(messageId);
    }

    Api.Response message(String id) {
      return tenant.api().get("/api/v2/messages/" + id);
    }

    /** Sends the text through the API now; answers the message id. */
    String send() {
      return tenant
          .api()
          .post(
              "/api/v2/messages/send",
              Map.of("session_id", session, "chat_id", chat, "message", text))
          .text("id");
    }
  }

  /** A session created over the API, started in WAHA, paired by the fake phone, and its claim. */
  private Claim leftBehind(String chat, String text) {
    Claim working = working(chat, text);
    return new Claim(
        working.tenant(),
        working.session(),
        chat,
        claims.claimedByADeadDispatcher(working.tenant(), working.session(), chat, text),
        text);
  }

  /** A session created over the API, started in WAHA and paired by the fake phone; no claim. */
  private Claim working(String chat, String text) {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session =
        tenant.api().post("/api/v2/sessions", Map.of("name", "s-" + UUID.randomUUID())).text("id");
    tenant.api().post("/api/v2/sessions/" + session + "/start");
    tenant.awaitSessionStatus(session, "qr_code");
    waha.scanQrCode(new SessionRef(SessionId.of(UUID.fromString(session)), null).transportName());
    tenant.awaitSessionStatus(session, "working");
    return new Claim(tenant, session, chat, null, text);
  }

  /** The texts WAHA was asked to send for the claim's message. */
  private List<FakeWaha.Request> textsSent(Claim claim) {
    return waha.requests(claim.wahaName(), "POST", "/api/sendText").stream()
        .filter(request -> claim.text().equals(request.body().path("text").asText()))
        .toList();
  }
}
