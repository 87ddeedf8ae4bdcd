package io.flowmate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.OutboundMessage.ContactCard;
import io.flowmate.gateway.spi.OutboundMessage.MediaKind;
import io.flowmate.gateway.spi.OutboundMessage.MediaSource;
import io.flowmate.gateway.spi.SendOptions;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SentLookup;
import io.flowmate.gateway.spi.SessionProbe;
import io.flowmate.gateway.spi.SessionRef;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.Ack;
import io.flowmate.gateway.spi.TransportEvent.DeliveryChanged;
import io.flowmate.gateway.spi.TransportEvent.IdentityLearned;
import io.flowmate.gateway.spi.TransportEvent.MessageReceived;
import io.flowmate.gateway.spi.TransportEvent.SessionState;
import io.flowmate.gateway.spi.WaIdentity;
import io.flowmate.gateway.spi.WhatsAppTransport;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * The transport conformance suite: what every {@link WhatsAppTransport} must do, run against each
 * one wired to its fake world (the simulator is its own; WAHA gets a fake WAHA server on loopback).
 * A subclass says how its world acts (a phone scans a QR code, a contact writes, WhatsApp refuses a
 * message with 463) and how a message looks on its wire; the assertions on normalised events are
 * the same for all.
 *
 * <p>It runs in the whole application, so the gateway's dispatcher delivers the events exactly as
 * in production; {@link RecordedTransportEvents} listens beside the real listeners.
 */
@Import(RecordedTransportEvents.Config.class)
public abstract class TransportConformanceTests extends IntegrationTest {

  @Autowired protected WhatsAppTransport transport;
  @Autowired protected RecordedTransportEvents events;

  // --- what the transport's world does ----------------------------------------------------------

  /** The phone scans the QR code the session shows (nothing if the world pairs by itself). */
  protected abstract void scanQrCode(SessionRef session);

  /** From now on WhatsApp asks for a passkey when this session's device is linked. */
  protected abstract void requirePasskey(SessionRef session);

  /** The operator's browser answers the passkey challenge. */
  protected abstract void confirmPasskey(SessionRef session);

  /** The connection to WhatsApp breaks: the transport reports FAILED or LOGGED_OUT. */
  protected abstract void breakConnection(SessionRef session);

  /** A contact writes a text to the session's number; answers WhatsApp's id of the message. */
  protected abstract String contactWrites(
      SessionRef session, String phone, String name, String text);

  /**
   * Like {@link #contactWrites}, and the transport reports it again (a webhook retry, if it has
   * any).
   */
  protected abstract String contactWritesAndIsReportedAgain(
      SessionRef session, String phone, String text);

  /**
   * A participant writes in a group; WhatsApp names the participant by a linked id (LID) and, here,
   * also gives the phone number.
   */
  protected abstract String participantWritesInGroup(
      SessionRef session, ChatId group, String phone, String text);

  /** A contact moves to a linked id; answers it. The transport must learn both forms. */
  protected abstract String contactMovesToLinkedId(SessionRef session, String phone);

  /** Sends a text to a contact who never wrote, and WhatsApp refuses it with error 463. */
  protected abstract SendReceipt sendRefusedWithReachoutTimelock(
      SessionRef session, ChatId coldContact);

  /** Checks how the message travelled (the wire body, or what the simulated WhatsApp received). */
  protected abstract void assertSent(SessionRef session, SendCase sent, SendReceipt receipt);

  /** One message of the "every type" test, with a name for its expected wire form. */
  protected record SendCase(String name, ChatId to, OutboundMessage message, SendOptions options) {}

  // --- pairing ----------------------------------------------------------------------------------

  @Test
  void pairsByQrCode() {
    SessionRef session = newSession();

    transport.open(session);
    events.awaitState(session.sessionId().value(), SessionState.QR_CODE);
    scanQrCode(session);
    TransportEvent.SessionStateChanged working =
        events.awaitState(session.sessionId().value(), SessionState.WORKING);

    List<SessionState> states = events.states(session.sessionId().value());
    assertThat(states.indexOf(SessionState.QR_CODE))
        .isLessThan(states.indexOf(SessionState.WORKING));
    assertThat(working.me()).isNotNull();
    assertThat(working.me().phoneNumber()).matches("[1-9][0-9]{6,14}");
  }

  @Test
  void pairsWithAPasskeyStep() {
    SessionRef session = newSession();
    requirePasskey(session);

    transport.open(session);
    events.awaitState(session.sessionId().value(), SessionState.QR_CODE);
    scanQrCode(session);
    TransportEvent.SessionStateChanged passkey =
        events.awaitState(session.sessionId().value(), SessionState.PASSKEY_REQUIRED);
    assertThat(events.states(session.sessionId().value())).doesNotContain(SessionState.WORKING);
    confirmPasskey(session);
    events.awaitState(session.sessionId().value(), SessionState.WORKING);

    assertThat(passkey.passkeyChallenge()).isNotBlank();
    assertThat(transport.capabilities().passkeyPairing()).isTrue();
  }

  @Test
  void startsAgainAfterAFailure() {
    SessionRef session = workingSession();
    int beforeFailure = events.mark(session.sessionId().value());

    breakConnection(session);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            events
                .states(session.sessionId().value())
                .subList(beforeFailure, events.mark(session.sessionId().value()))
                .stream()
                .anyMatch(
                    state -> state == SessionState.FAILED || state == SessionState.LOGGED_OUT));
    int beforeRestart = events.mark(session.sessionId().value());
    transport.open(session);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            statesSince(session, beforeRestart).stream()
                .anyMatch(state -> state == SessionState.QR_CODE || state == SessionState.WORKING));
    if (!statesSince(session, beforeRestart).contains(SessionState.WORKING)) {
      scanQrCode(session);
    }

    events.awaitStateAfter(session.sessionId().value(), beforeRestart, SessionState.WORKING);
  }

  // --- liveness ---------------------------------------------------------------------------------

  @Test
  void restartsAWorkingSessionWithoutANewPairing() {
    SessionRef session = workingSession();
    assertThat(transport.probe(session)).isEqualTo(SessionProbe.ok());
    int beforeRestart = events.mark(session.sessionId().value());

    transport.restart(session);

    events.awaitStateAfter(session.sessionId().value(), beforeRestart, SessionState.WORKING);
    assertThat(statesSince(session, beforeRestart)).doesNotContain(SessionState.QR_CODE);
    assertThat(transport.probe(session)).isEqualTo(SessionProbe.ok());
  }

  @Test
  void theProbeFindsSessionsThatAreNotConnected() {
    SessionProbe neverOpened = transport.probe(newSession());
    SessionRef broken = workingSession();
    breakConnection(broken);

    assertThat(neverOpened.connected()).isFalse();
    assertThat(neverOpened.problem()).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).until(() -> !transport.probe(broken).connected());
    assertThat(transport.probe(broken).problem()).isNotBlank();
  }

  // --- sending ----------------------------------------------------------------------------------

  @Test
  void sendsEveryKindOfMessage() {
    SessionRef session = workingSession();
    ChatId contact = ChatId.parse("4915100000111");
    ChatId group = ChatId.parse("120363000000000001@g.us");
    List<SendCase> cases = new ArrayList<>();
    cases.add(
        new SendCase(
            "text",
            contact,
            new OutboundMessage.Text(
                "Hello *Maria*, see https://example.com", List.of("4915100000112"), true),
            options(null)));
    cases.add(
        new SendCase(
            "image",
            contact,
            new OutboundMessage.Media(
                MediaKind.IMAGE,
                new MediaSource("https://example.com/cat.jpg", null, "image/jpeg", "cat.jpg"),
                "A cat"),
            options(null)));
    cases.add(
        new SendCase(
            "document",
            contact,
            new OutboundMessage.Media(
                MediaKind.DOCUMENT,
                new MediaSource(null, "JVBERi0xLjQK", "application/pdf", "offer.pdf"),
                "Your offer"),
            options(null)));
    cases.add(
        new SendCase(
            "audio",
            contact,
            new OutboundMessage.Media(
                MediaKind.AUDIO,
                new MediaSource("https://example.com/jingle.mp3", null, "audio/mpeg", "jingle.mp3"),
                null),
            options(null)));
    cases.add(
        new SendCase(
            "voice",
            contact,
            new OutboundMessage.Media(
                MediaKind.VOICE,
                new MediaSource(
                    "https://example.com/note.ogg", null, "audio/ogg; codecs=opus", null),
                null),
            options(null)));
    cases.add(
        new SendCase(
            "video",
            contact,
            new OutboundMessage.Media(
                MediaKind.VIDEO,
                new MediaSource("https://example.com/tour.mp4", null, "video/mp4", "tour.mp4"),
                "The tour"),
            options(null)));
    cases.add(
        new SendCase(
            "sticker",
            contact,
            new OutboundMessage.Media(
                MediaKind.STICKER,
                new MediaSource("https://example.com/thumbs-up.webp", null, null, null),
                null),
            options(null)));
    cases.add(
        new SendCase(
            "gif",
            contact,
            new OutboundMessage.Media(
                MediaKind.GIF,
                new MediaSource("https://example.com/dance.mp4", null, "video/mp4", null),
                "Dance"),
            options(null)));
    cases.add(
        new SendCase(
            "poll",
            group,
            new OutboundMessage.Poll("Run on Sunday?", List.of("Yes", "No", "Maybe"), false),
            options(null)));
    cases.add(
        new SendCase(
            "location",
            contact,
            new OutboundMessage.Location(
                41.1496, -8.611, "Our shop", "Rua de Santa Catarina 1, Porto"),
            options(null)));
    cases.add(
        new SendCase(
            "contacts",
            contact,
            new OutboundMessage.ContactCards(
                List.of(
                    new ContactCard("Jane Doe", "+4915100000113", "Flowmate", null),
                    new ContactCard(
                        "John Doe",
                        null,
                        null,
                        "BEGIN:VCARD\nVERSION:3.0\nFN:John Doe\nEND:VCARD"))),
            options(null)));

    List<SendReceipt> receipts = new ArrayList<>();
    for (SendCase sent : cases) {
      SendReceipt receipt = transport.send(session, sent.to(), sent.message(), sent.options());
      assertThat(receipt.providerMessageId()).as(sent.name()).isNotBlank();
      assertThat(receipt.acceptedAt()).as(sent.name()).isNotNull();
      receipts.add(receipt);
      assertSent(session, sent, receipt);
    }
    SendCase reply =
        new SendCase(
            "reply",
            contact,
            new OutboundMessage.Text("Thanks!"),
            options(receipts.getFirst().providerMessageId()));
    assertSent(
        session, reply, transport.send(session, reply.to(), reply.message(), reply.options()));
    SendCase reaction =
        new SendCase(
            "reaction",
            contact,
            new OutboundMessage.Reaction(receipts.getFirst().providerMessageId(), "👍"),
            options(null));
    assertSent(
        session,
        reaction,
        transport.send(session, reaction.to(), reaction.message(), reaction.options()));
  }

  @Test
  void findsAMessageAcceptedBeforeACrashButNotOneNeverSent() {
    SessionRef session = workingSession();
    ChatId contact = ChatId.parse("4915100000171");
    Instant claimed = Instant.now();
    OutboundMessage.Text accepted =
        new OutboundMessage.Text("Your table for two is booked for 8 pm");
    SendOptions acceptedWith = options(null);
    SendReceipt receipt = transport.send(session, contact, accepted, acceptedWith);
    // The crash: the receipt above is lost; only the outbox row (key, chat, content, claim)
    // remains.

    Optional<SendReceipt> found =
        transport.findSent(
            session, new SentLookup(acceptedWith.idempotencyKey(), contact, accepted, claimed));
    Optional<SendReceipt> neverSent =
        transport.findSent(
            session,
            new SentLookup(
                UUID.randomUUID().toString(),
                contact,
                new OutboundMessage.Text("Your table for four is booked for 9 pm"),
                claimed));

    assertThat(transport.capabilities().findsSentMessages()).isTrue();
    assertThat(found).map(SendReceipt::providerMessageId).contains(receipt.providerMessageId());
    assertThat(neverSent).isEmpty();
  }

  @Test
  void reportsAMessageRefusedByTheReachoutTimelock() {
    SessionRef session = workingSession();

    SendReceipt receipt = sendRefusedWithReachoutTimelock(session, ChatId.parse("4915100000121"));

    DeliveryChanged failed =
        events.await(
            DeliveryChanged.class,
            session.sessionId().value(),
            ack ->
                ack.providerMessageId().equals(receipt.providerMessageId())
                    && ack.ack() == Ack.FAILED);
    assertThat(failed.error()).isNotNull();
    assertThat(failed.error().code()).isEqualTo("463");
    assertThat(failed.error().until()).isNotNull();
  }

  // --- what arrives -----------------------------------------------------------------------------

  @Test
  void normalisesADirectMessage() {
    SessionRef session = workingSession();

    String id = contactWrites(session, "4915100000131", "Maria", "Do you ship to Porto?");

    MessageReceived received =
        events.await(
            MessageReceived.class,
            session.sessionId().value(),
            m -> m.providerMessageId().equals(id));
    assertThat(received.chat()).isEqualTo(ChatId.parse("4915100000131"));
    assertThat(received.fromMe()).isFalse();
    assertThat(received.sender().phoneNumber()).isEqualTo("4915100000131");
    assertThat(received.sender().pushName()).isEqualTo("Maria");
    assertThat(received.content().type()).isEqualTo("text");
    assertThat(received.content().text()).isEqualTo("Do you ship to Porto?");
    assertThat(received.occurredAt()).isNotNull();
  }

  @Test
  void normalisesAGroupMessageFromALinkedId() {
    SessionRef session = workingSession();
    ChatId group = ChatId.parse("120363000000000009@g.us");

    String id = participantWritesInGroup(session, group, "4915100000141", "Who runs on Sunday?");

    MessageReceived received =
        events.await(
            MessageReceived.class,
            session.sessionId().value(),
            m -> m.providerMessageId().equals(id));
    assertThat(received.chat()).isEqualTo(group);
    assertThat(received.sender().lid()).endsWith("@lid");
    assertThat(received.sender().phoneNumber()).isEqualTo("4915100000141");
    assertThat(received.content().text()).isEqualTo("Who runs on Sunday?");
  }

  @Test
  void reportsAnEventReportedTwiceOnlyOnce() {
    SessionRef session = workingSession();

    String id = contactWritesAndIsReportedAgain(session, "4915100000151", "Is this a duplicate?");

    events.await(
        MessageReceived.class, session.sessionId().value(), m -> m.providerMessageId().equals(id));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(3))
        .until(() ->
            events.of(MessageReceived.class, session.sessionId().value()).stream()
                    .filter(m -> m.providerMessageId().equals(id))
                    .count()
                == 1);
  }

  @Test
  void learnsAndResolvesLinkedIds() {
    SessionRef session = workingSession();

    String lid = contactMovesToLinkedId(session, "4915100000161");

    IdentityLearned learned =
        events.await(
            IdentityLearned.class,
            session.sessionId().value(),
            l -> lid.equals(l.identity().lid()));
    assertThat(learned.identity().phoneNumber()).isEqualTo("4915100000161");
    Optional<WaIdentity> byLid = transport.resolve(session, ChatId.parse(lid));
    assertThat(byLid).map(WaIdentity::phoneNumber).contains("4915100000161");
    Optional<WaIdentity> byPhone = transport.resolve(session, ChatId.parse("4915100000161"));
    assertThat(byPhone).map(WaIdentity::lid).contains(lid);
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** A session Flowmate knows (created over the API, stopped), for the transport to open. */
  protected SessionRef newSession() {
    TestTenant tenant = newTenant();
    Api.Response created =
        tenant.api().post("/api/v2/sessions", Map.of("name", "tck-" + UUID.randomUUID()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new SessionRef(SessionId.of(UUID.fromString(created.text("id"))), null);
  }

  /** A new session, opened and paired. */
  protected SessionRef workingSession() {
    SessionRef session = newSession();
    transport.open(session);
    events.awaitState(session.sessionId().value(), SessionState.QR_CODE);
    scanQrCode(session);
    events.awaitState(session.sessionId().value(), SessionState.WORKING);
    return session;
  }

  private List<SessionState> statesSince(SessionRef session, int mark) {
    List<SessionState> states = events.states(session.sessionId().value());
    return states.subList(Math.min(mark, states.size()), states.size());
  }

  private static SendOptions options(String replyTo) {
    return new SendOptions(UUID.randomUUID().toString(), replyTo);
  }
}
