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
        .startsWith(
            "WhatsApp may or may not have accepted this message before a restart; not re-sent")
        .contains("filter.timestamp.gte must be a number");
    assertThat(textsSent(claim)).isEmpty();
  }

  /** A text a dead dispatcher had claimed, in a session of its own tenant. */
  private record Claim(TestTenant tenant, String session, String messageId, String text) {

    String wahaName() {
      return new SessionRef(SessionId.of(UUID.fromString(session)), null).transportName();
    }

    Api.Response message() {
      return tenant.api().get("/api/v2/messages/" + messageId);
    }
  }

  /** A session created over the API, started in WAHA, paired by the fake phone, and its claim. */
  private Claim leftBehind(String chat, String text) {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session =
        tenant.api().post("/api/v2/sessions", Map.of("name", "s-" + UUID.randomUUID())).text("id");
    tenant.api().post("/api/v2/sessions/" + session + "/start");
    tenant.awaitSessionStatus(session, "qr_code");
    waha.scanQrCode(new SessionRef(SessionId.of(UUID.fromString(session)), null).transportName());
    tenant.awaitSessionStatus(session, "working");
    return new Claim(
        tenant, session, claims.claimedByADeadDispatcher(tenant, session, chat, text), text);
  }

  /** The texts WAHA was asked to send for the claim's message. */
  private List<FakeWaha.Request> textsSent(Claim claim) {
    return waha.requests(claim.wahaName(), "POST", "/api/sendText").stream()
        .filter(request -> claim.text().equals(request.body().path("text").asText()))
        .toList();
  }
}
