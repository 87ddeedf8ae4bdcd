package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.spi.Capabilities;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.SendOptions;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SessionRef;
import io.flowmate.gateway.spi.WhatsAppTransport;
import io.flowmate.support.IntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * A dispatcher that dies between claiming a message and recording the outcome leaves a claim
 * behind. When the claim lapses the message is recovered: recorded as sent if WhatsApp already
 * accepted it (no second send), queued again if it did not (not lost), and failed if the transport
 * cannot tell (not risking a second send). The simulator answers by idempotency key; the WAHA path
 * is in {@link OutboxRecoveryWithWahaIntegrationTests}.
 */
class OutboxRecoveryIntegrationTests extends IntegrationTest {

  private static final String CONTACT = "4915100000020";

  @Autowired JdbcClient jdbc;

  /** The simulator, spied on only to play a transport that cannot find sent messages. */
  @MockitoSpyBean WhatsAppTransport transport;

  private LeftBehindClaims claims;

  @BeforeEach
  void claims() {
    claims = new LeftBehindClaims(jdbc);
  }

  @Test
  void claimLapsedAfterWhatsAppAcceptedIsRecordedAsSentWithoutSendingAgain() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    String messageId =
        claims.claimedByADeadDispatcher(tenant, session, CONTACT, "accepted before the crash");
    assertThat(tenant.deliveredTexts(session)).isEmpty();
    // The dead dispatcher had handed it over: WhatsApp accepted it under the message's key.
    SendReceipt accepted =
        transport.send(
            new SessionRef(SessionId.of(UUID.fromString(session)), null),
            ChatId.parse(CONTACT),
            new OutboundMessage.Text("accepted before the crash"),
            new SendOptions(messageId, null));

    claims.lapse(messageId);

    tenant.awaitMessageStatus(messageId, "read");
    assertThat(tenant.api().get("/api/v2/messages/" + messageId).text("wa_message_id"))
        .isEqualTo(accepted.providerMessageId());
    assertThat(tenant.deliveredTexts(session)).containsExactly("accepted before the crash");
  }

  @Test
  void claimLapsedBeforeWhatsAppAcceptedIsSentOnce() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    String messageId =
        claims.claimedByADeadDispatcher(tenant, session, CONTACT, "never handed over");
    assertThat(tenant.deliveredTexts(session)).isEmpty();

    claims.lapse(messageId);

    tenant.awaitMessageStatus(messageId, "read");
    assertThat(tenant.deliveredTexts(session)).containsExactly("never handed over");
  }

  @Test
  void aMessageWhatsAppAcceptsUnderAnIdAnotherMessageHoldsIsRecordedSentNotLeftQueued() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    String first = send(tenant, session, "first under this id");
    tenant.awaitMessageStatus(first, "read");
    String taken = tenant.api().get("/api/v2/messages/" + first).text("wa_message_id");
    // A transport that hands out an id twice (as the simulator did after a restart).
    doAnswer(
            call -> {
              SendReceipt real = (SendReceipt) call.callRealMethod();
              return new SendReceipt(taken, real.acceptedAt());
            })
        .when(transport)
        .send(any(), any(), any(), any());

    String second = send(tenant, session, "second under the same id");

    tenant.awaitMessageStatus(second, "sent");
    assertThat(tenant.api().get("/api/v2/messages/" + second).text("wa_message_id"))
        .isEqualTo(taken + "#" + second);
    assertThat(tenant.api().get("/api/v2/messages/" + first).text("wa_message_id"))
        .isEqualTo(taken);
    assertThat(tenant.deliveredTexts(session))
        .containsExactly("first under this id", "second under the same id");
  }

  @Test
  void aSendWhoseAnswerIsLostIsLookedUpAndRecordedWithoutSendingAgain() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    tenant
        .api()
        .post("/api/v2/simulator/sessions/" + session + "/faults", Map.of("lose_next_answers", 1));

    String id = send(tenant, session, "answer lost on the way back");

    tenant.awaitMessageStatus(id, "read");
    verify(transport).findSent(any(), any());
    verify(transport, times(1)).send(any(), any(), any(), any());
    assertThat(tenant.deliveredTexts(session)).containsExactly("answer lost on the way back");
  }

  @Test
  void claimLapsedOnATransportThatCannotTellIsFailedRatherThanSentAgain() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    String messageId = claims.claimedByADeadDispatcher(tenant, session, CONTACT, "maybe accepted");
    Capabilities real = transport.capabilities();
    doReturn(
            new Capabilities(
                real.groups(),
                real.labels(),
                real.polls(),
                real.editMessages(),
                real.pairingCode(),
                real.passkeyPairing(),
                false))
        .when(transport)
        .capabilities();

    claims.lapse(messageId);

    tenant.awaitMessageStatus(messageId, "failed");
    assertThat(tenant.api().get("/api/v2/messages/" + messageId).text("failure_reason"))
        .isEqualTo(
            "WhatsApp may or may not have accepted this message; not re-sent to avoid a duplicate");
    assertThat(tenant.deliveredTexts(session)).isEmpty();
    verify(transport, never()).findSent(any(), any());
  }

  private static String send(TestTenant tenant, String session, String text) {
    return tenant
        .api()
        .post(
            "/api/v2/messages/send",
            Map.of("session_id", session, "chat_id", CONTACT, "message", text))
        .text("id");
  }
}
