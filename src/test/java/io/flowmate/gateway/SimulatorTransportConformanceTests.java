package io.flowmate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.ChatId;
import io.flowmate.gateway.simulator.SimulatorTransport;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SessionRef;
import io.flowmate.gateway.spi.TransportEvent.InboundContent;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The conformance suite against the embedded simulator, the reference transport. Its phones pair by
 * themselves in tests (pairing delay 0), and it reports everything exactly once, so a "retried"
 * report is simply the one report.
 */
class SimulatorTransportConformanceTests extends TransportConformanceTests {

  @Autowired SimulatorTransport simulator;

  @Override
  protected void scanQrCode(SessionRef session) {
    simulator.pair(session.sessionId());
  }

  @Override
  protected void requirePasskey(SessionRef session) {
    simulator.applyFaults(
        session.sessionId(), new SimulatorTransport.Faults(null, null, null, true, null));
  }

  @Override
  protected void confirmPasskey(SessionRef session) {
    assertThat(simulator.completePasskey(session.sessionId())).isTrue();
  }

  @Override
  protected void breakConnection(SessionRef session) {
    simulator.unlinkFromPhone(session.sessionId());
  }

  @Override
  protected String contactWrites(SessionRef session, String phone, String name, String text) {
    return simulator.receive(
        session.sessionId(), ChatId.parse(phone), name, null, InboundContent.text(text));
  }

  @Override
  protected String contactWritesAndIsReportedAgain(SessionRef session, String phone, String text) {
    return contactWrites(session, phone, null, text);
  }

  @Override
  protected String participantWritesInGroup(
      SessionRef session, ChatId group, String phone, String text) {
    simulator.migrateToLid(session.sessionId(), phone);
    return simulator.receive(
        session.sessionId(), ChatId.parse(phone), null, group, InboundContent.text(text));
  }

  @Override
  protected String contactMovesToLinkedId(SessionRef session, String phone) {
    return simulator.migrateToLid(session.sessionId(), phone);
  }

  @Override
  protected SendReceipt sendRefusedWithReachoutTimelock(SessionRef session, ChatId coldContact) {
    simulator.applyFaults(
        session.sessionId(), new SimulatorTransport.Faults(60, null, null, null, Set.of()));
    return transport.send(
        session,
        coldContact,
        new OutboundMessage.Text("Hi, we met at the fair"),
        new io.flowmate.gateway.spi.SendOptions(java.util.UUID.randomUUID().toString(), null));
  }

  /** The simulated WhatsApp received it: the type, the text or preview, the quoted message. */
  @Override
  protected void assertSent(SessionRef session, SendCase sent, SendReceipt receipt) {
    List<SimulatorTransport.Delivery> deliveries = simulator.deliveries(session.sessionId());
    SimulatorTransport.Delivery delivery =
        deliveries.stream()
            .filter(d -> d.providerMessageId().equals(receipt.providerMessageId()))
            .findFirst()
            .orElseThrow();
    assertThat(delivery.chatId()).as(sent.name()).isEqualTo(sent.to().value());
    assertThat(delivery.idempotencyKey())
        .as(sent.name())
        .isEqualTo(sent.options().idempotencyKey());
    assertThat(delivery.replyTo()).as(sent.name()).isEqualTo(sent.options().replyTo());
    String expectedType =
        switch (sent.message()) {
          case OutboundMessage.Text t -> "text";
          case OutboundMessage.Media m -> m.kind().name().toLowerCase();
          case OutboundMessage.Poll p -> "poll";
          case OutboundMessage.Location l -> "location";
          case OutboundMessage.ContactCards c -> "contact";
          case OutboundMessage.Reaction r -> "reaction";
        };
    assertThat(delivery.type()).as(sent.name()).isEqualTo(expectedType);
    String expectedBody =
        sent.message() instanceof OutboundMessage.Text text
            ? text.body()
            : sent.message().preview();
    assertThat(delivery.body()).as(sent.name()).isEqualTo(expectedBody);
  }
}
