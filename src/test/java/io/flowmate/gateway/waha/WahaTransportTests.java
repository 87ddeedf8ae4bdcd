package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.spi.AccountHealth;
import io.flowmate.gateway.spi.Capabilities;
import io.flowmate.gateway.spi.GroupMember;
import io.flowmate.gateway.spi.GroupSummary;
import io.flowmate.gateway.spi.NumberCheck;
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
import io.flowmate.gateway.spi.TransportEvent.SessionState;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.TransportKind;
import io.flowmate.gateway.spi.TransportLabel;
import io.flowmate.gateway.spi.WaIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.web.client.RestClient;

/**
 * The REST side of the WAHA transport against the fake WAHA, without an application: session
 * lifecycle, escaping, the engines' answer shapes, failures, directory, labels and media.
 */
class WahaTransportTests {

  private static FakeWaha waha;

  private final List<TransportEvent> reported = new CopyOnWriteArrayList<>();
  private WahaTransport transport;
  private SessionRef session;
  private String name;

  @BeforeAll
  static void startWaha() {
    waha = FakeWaha.start();
  }

  @AfterAll
  static void stopWaha() {
    waha.stop();
  }

  @BeforeEach
  void newSession() {
    transport = transport(waha.baseUrl(), Duration.ofSeconds(5));
    transport.subscribe(reported::add);
    session = new SessionRef(SessionId.of(UUID.randomUUID()), null);
    name = session.transportName();
  }

  @Test
  void declaresWhatWahaCanDo() {
    assertThat(transport.kind()).isEqualTo(TransportKind.WAHA);
    assertThat(transport.capabilities())
        .isEqualTo(new Capabilities(true, true, true, true, true, true, true));
  }

  @Test
  void aSentTextIsFoundByItsContentWithTheIdItsAcksCarry() {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000411");
    Instant claimed = Instant.now();

    for (FakeWaha.IdShape shape : FakeWaha.IdShape.values()) {
      waha.idShape(name, shape);
      OutboundMessage.Text text =
          new OutboundMessage.Text("Your order ships today (" + shape + ")");
      SendReceipt sent = transport.send(session, chat, text, options());

      Optional<SendReceipt> found = transport.findSent(session, lookup(chat, text, claimed));

      assertThat(found).as(shape.name()).isPresent();
      assertThat(found.get().providerMessageId())
          .as(shape.name())
          .isEqualTo(sent.providerMessageId());
      assertThat(found.get().acceptedAt())
          .as(shape.name())
          .isBetween(claimed.minusSeconds(1), Instant.now());
    }
    FakeWaha.Request list =
        waha.requests(name, "GET", "/api/" + name + "/chats/4915100000411%40c.us/messages")
            .getLast();
    assertThat(list.query())
        .isEqualTo(
            "limit=50&downloadMedia=false&filter.fromMe=true&filter.timestamp.gte="
                + claimed.minusSeconds(30).getEpochSecond());
  }

  @Test
  void anotherTextAnotherChatOrAMessageFromBeforeTheClaimIsNotIt() {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000412");
    Instant claimed = Instant.now();
    OutboundMessage.Text text = new OutboundMessage.Text("See you on Monday");
    transport.send(session, chat, text, options());

    assertThat(
            transport.findSent(
                session, lookup(chat, new OutboundMessage.Text("See you on Tuesday"), claimed)))
        .isEmpty();
    assertThat(transport.findSent(session, lookup(ChatId.parse("4915100000413"), text, claimed)))
        .isEmpty();
    assertThat(transport.findSent(session, lookup(chat, text, Instant.now().plusSeconds(120))))
        .isEmpty();
    assertThat(transport.findSent(session, lookup(chat, text, claimed))).isPresent();
  }

  @Test
  void mediaLocationsCardsAndPollsAreFoundByWhatWahaListsOfThem() {
    waha.status(name, "WORKING", true);
    Instant claimed = Instant.now();
    List<OutboundMessage> kinds =
        List.of(
            new OutboundMessage.Media(
                MediaKind.IMAGE,
                new MediaSource("https://example.com/cat.jpg", null, "image/jpeg", null),
                "A cat"),
            new OutboundMessage.Media(
                MediaKind.DOCUMENT,
                new MediaSource(null, "JVBERi0xLjQK", "application/pdf", "offer.pdf"),
                "Your offer"),
            new OutboundMessage.Media(
                MediaKind.VOICE,
                new MediaSource("https://example.com/note.ogg", null, null, null),
                null),
            new OutboundMessage.Location(41.1496, -8.611, "Our shop", null),
            new OutboundMessage.ContactCards(
                List.of(
                    new ContactCard("Jane Doe", "+49 151 00000414", "Flowmate", null),
                    new ContactCard(
                        null, null, null, "BEGIN:VCARD\nVERSION:3.0\nFN:John Doe\nEND:VCARD"))),
            new OutboundMessage.Poll("Run on Sunday?", List.of("Yes", "No"), false));

    for (int i = 0; i < kinds.size(); i++) {
      // One chat each: what a lookup finds is then this message or nothing.
      ChatId chat = ChatId.parse("49151000042" + i);
      OutboundMessage message = kinds.get(i);
      SendReceipt sent = transport.send(session, chat, message, options());

      assertThat(transport.findSent(session, lookup(chat, message, claimed)))
          .as(message.preview())
          .map(SendReceipt::providerMessageId)
          .contains(sent.providerMessageId());
    }
  }

  @Test
  void similarMediaLocationsAndCardsAreNotMistakenForIt() {
    waha.status(name, "WORKING", true);
    Instant claimed = Instant.now();
    ChatId chat = ChatId.parse("4915100000430");
    MediaSource cat = new MediaSource("https://example.com/cat.jpg", null, "image/jpeg", null);
    transport.send(
        session, chat, new OutboundMessage.Media(MediaKind.IMAGE, cat, "A cat"), options());
    transport.send(
        session, chat, new OutboundMessage.Location(41.1496, -8.611, "Our shop", null), options());
    transport.send(
        session,
        chat,
        new OutboundMessage.ContactCards(
            List.of(new ContactCard("Jane Doe", "+4915100000431", null, null))),
        options());

    List<OutboundMessage> others =
        List.of(
            new OutboundMessage.Media(MediaKind.IMAGE, cat, "A dog"),
            new OutboundMessage.Media(
                MediaKind.STICKER,
                new MediaSource("https://example.com/thumbs-up.webp", null, null, null),
                null),
            new OutboundMessage.Text("A cat!"),
            new OutboundMessage.Location(41.1497, -8.611, "Our shop", null),
            new OutboundMessage.ContactCards(
                List.of(new ContactCard("Jane Doe", "+4915100000432", null, null))),
            new OutboundMessage.ContactCards(
                List.of(new ContactCard("John Doe", "+4915100000431", null, null))),
            new OutboundMessage.Poll("Run on Sunday?", List.of("Yes", "No"), false));
    for (OutboundMessage other : others) {
      assertThat(transport.findSent(session, lookup(chat, other, claimed)))
          .as(other.preview())
          .isEmpty();
    }
  }

  @Test
  void aReactionIsNeverLookedUp() {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000433");

    Optional<SendReceipt> found =
        transport.findSent(
            session,
            lookup(
                chat,
                new OutboundMessage.Reaction("true_4915100000433@c.us_X", "👍"),
                Instant.now()));

    assertThat(found).isEmpty();
    assertThat(waha.requests(name, "GET", "/api/" + name + "/chats/4915100000433%40c.us/messages"))
        .isEmpty();
  }

  @Test
  void aChatWahaDoesNotKnowHasNothingSentToIt() {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000434");
    waha.failNext(
        "GET /api/" + name + "/chats/4915100000434%40c.us/messages",
        404,
        "{\"statusCode\":404,\"message\":\"Chat not found\"}");

    assertThat(
            transport.findSent(
                session, lookup(chat, new OutboundMessage.Text("Hi"), Instant.now())))
        .isEmpty();
  }

  @Test
  void aLookupThatFailsSaysWhetherAskingAgainMayAnswer() {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000435");
    String messages = "GET /api/" + name + "/chats/4915100000435%40c.us/messages";
    OutboundMessage.Text text = new OutboundMessage.Text("Hi");
    Instant claimed = Instant.now();

    waha.failNext(messages, 503, "{\"statusCode\":503,\"message\":\"engine restarting\"}");
    TransportException unavailable =
        catchThrowableOfType(
            TransportException.class,
            () -> transport.findSent(session, lookup(chat, text, claimed)));
    for (int i = 0; i < WahaTransport.LOOKUP_LIMIT; i++) {
      transport.send(session, chat, new OutboundMessage.Text("Message " + i), options());
    }
    TransportException tooMany =
        catchThrowableOfType(
            TransportException.class,
            () -> transport.findSent(session, lookup(chat, text, claimed)));

    assertThat(unavailable.retryable()).isTrue();
    assertThat(unavailable.getMessage()).contains("503");
    assertThat(tooMany.retryable()).isFalse();
    assertThat(tooMany.getMessage()).contains("cannot tell");
    assertThat(
            transport.findSent(
                session, lookup(chat, new OutboundMessage.Text("Message 49"), claimed)))
        .isPresent();
  }

  @Test
  void openCreatesStartsOrRestartsAsTheSessionRequires() throws Exception {
    transport.open(session);
    assertThat(waha.requests(name, "POST", "/api/sessions")).hasSize(1);

    transport.open(session);
    assertThat(waha.requests(name, "POST", "/api/sessions")).hasSize(1);
    assertThat(lastState()).isEqualTo(SessionState.STARTING);

    waha.status(name, "STOPPED", true);
    transport.open(session);
    FakeWaha.Request update = waha.requests(name, "PUT", "/api/sessions/" + name).getLast();
    JSONAssert.assertEquals(
        "{\"config\": {\"metadata\": {\"flowmate.session_id\": \"" + session.sessionId() + "\"}}}",
        update.body().toString(),
        JSONCompareMode.LENIENT);
    assertThat(update.body().at("/config/webhooks/0/url").asText()).isEqualTo(FakeWaha.WEBHOOK_URL);
    assertThat(waha.requests(name, "POST", "/api/sessions/" + name + "/start")).hasSize(1);

    waha.status(name, "FAILED", true);
    transport.open(session);
    assertThat(waha.requests(name, "POST", "/api/sessions/" + name + "/restart")).hasSize(1);

    waha.status(name, "WORKING", true);
    transport.open(session);
    TransportEvent.SessionStateChanged working =
        (TransportEvent.SessionStateChanged) reported.getLast();
    assertThat(working.state()).isEqualTo(SessionState.WORKING);
    assertThat(working.me().phoneNumber()).isEqualTo(FakeWaha.phoneOf(name));
  }

  @Test
  void restartAsksWahaToReconnectAndReportsNoStateOfItsOwn() {
    transport.open(session);
    waha.status(name, "WORKING", true);
    int reportedBefore = reported.size();

    transport.restart(session);

    assertThat(waha.requests(name, "POST", "/api/sessions/" + name + "/restart")).hasSize(1);
    assertThat(waha.requests(name, "POST", "/api/sessions")).hasSize(1);
    // WAHA's answer races its STARTING and WORKING webhooks: only the webhooks report states.
    assertThat(reported).hasSize(reportedBefore);
  }

  @Test
  void restartOfASessionWahaLostCreatesItAgain() {
    transport.restart(session);

    assertThat(waha.requests(name, "POST", "/api/sessions/" + name + "/restart")).hasSize(1);
    FakeWaha.Request created = waha.requests(name, "POST", "/api/sessions").getFirst();
    assertThat(created.body().at("/config/metadata/flowmate.session_id").asText())
        .isEqualTo(session.sessionId().toString());
  }

  @Test
  void theProbeSaysConnectedOnlyWhenWahaSaysWorking() throws IOException {
    assertThat(transport.probe(session))
        .isEqualTo(SessionProbe.failed("WAHA does not know the session"));

    transport.open(session);
    waha.status(name, "WORKING", true);
    assertThat(transport.probe(session)).isEqualTo(SessionProbe.ok());
    assertThat(waha.requests(name, "GET", "/api/sessions/" + name)).isNotEmpty();

    waha.status(name, "FAILED", true);
    assertThat(transport.probe(session))
        .isEqualTo(SessionProbe.failed("WAHA reports the session as FAILED"));

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    WahaTransport unreachable = transport("http://127.0.0.1:" + closedPort, Duration.ofSeconds(2));
    assertThat(unreachable.probe(session))
        .isEqualTo(SessionProbe.failed("WAHA did not answer the status request"));
  }

  @Test
  void stopLogoutAndDeleteAreIdempotent() {
    transport.open(session);

    transport.close(session);
    transport.logout(session);
    transport.delete(session);
    transport.delete(session);
    transport.close(session);

    assertThat(waha.requests(name, "POST", "/api/sessions/" + name + "/stop")).hasSize(2);
    assertThat(waha.requests(name, "POST", "/api/sessions/" + name + "/logout")).hasSize(1);
    assertThat(waha.requests(name, "DELETE", "/api/sessions/" + name)).hasSize(2);
    assertThat(lastState()).isEqualTo(SessionState.STOPPED);
  }

  @Test
  void chatIdsAndMessageIdsInPathsHaveTheirAtSignEscaped() throws Exception {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000401");
    String message = "true_4915100000401@c.us_ABC";

    transport.edit(session, chat, message, "Fixed typo");
    transport.revoke(session, chat, message);
    transport.setChatLabels(session, chat, List.of("1", "7"));
    transport.members(session, ChatId.parse("120363000000000001@g.us"));
    transport.resolve(session, ChatId.parse("100000000000001@lid"));
    transport.resolve(session, chat);

    String escapedPath =
        "/api/" + name + "/chats/4915100000401%40c.us/messages/true_4915100000401%40c.us_ABC";
    FakeWaha.Request edit = waha.requests(name, "PUT", escapedPath).getFirst();
    JSONAssert.assertEquals(
        "{\"text\": \"Fixed typo\"}", edit.body().toString(), JSONCompareMode.STRICT);
    assertThat(waha.requests(name, "DELETE", escapedPath)).hasSize(1);
    FakeWaha.Request labels =
        waha.requests(name, "PUT", "/api/" + name + "/labels/chats/4915100000401%40c.us")
            .getFirst();
    JSONAssert.assertEquals(
        "{\"labels\": [{\"id\": \"1\"}, {\"id\": \"7\"}]}",
        labels.body().toString(),
        JSONCompareMode.STRICT);
    assertThat(
            waha.requests(
                name, "GET", "/api/" + name + "/groups/120363000000000001%40g.us/participants/v2"))
        .hasSize(1);
    assertThat(waha.requests(name, "GET", "/api/" + name + "/lids/100000000000001%40lid"))
        .hasSize(1);
    assertThat(waha.requests(name, "GET", "/api/" + name + "/lids/pn/4915100000401%40c.us"))
        .hasSize(1);
    assertThat(waha.requests(name))
        .allSatisfy(r -> assertThat(r.header("X-Api-Key")).isEqualTo(FakeWaha.API_KEY));
  }

  @Test
  void seenAndTypingGoToTheChattingEndpoints() throws Exception {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000402");

    transport.markRead(
        session, chat, List.of("false_4915100000402@c.us_A", "false_4915100000402@c.us_B"));
    transport.markRead(session, chat, List.of());
    transport.typing(session, chat, true);
    transport.typing(session, chat, false);

    List<FakeWaha.Request> seen = waha.requests(name, "POST", "/api/sendSeen");
    JSONAssert.assertEquals(
        "{\"session\": \"%s\", \"chatId\": \"4915100000402@c.us\", \"messageIds\": [\"false_4915100000402@c.us_A\", \"false_4915100000402@c.us_B\"]}"
            .formatted(name),
        seen.getFirst().body().toString(),
        JSONCompareMode.STRICT);
    JSONAssert.assertEquals(
        "{\"session\": \"%s\", \"chatId\": \"4915100000402@c.us\"}".formatted(name),
        seen.getLast().body().toString(),
        JSONCompareMode.STRICT);
    assertThat(waha.requests(name, "POST", "/api/startTyping")).hasSize(1);
    assertThat(waha.requests(name, "POST", "/api/stopTyping")).hasSize(1);
  }

  @Test
  void theSentMessagesIdIsReadFromEveryEnginesAnswer() {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000403");

    for (FakeWaha.IdShape shape : FakeWaha.IdShape.values()) {
      waha.idShape(name, shape);
      String id =
          transport
              .send(session, chat, new OutboundMessage.Text("Hi " + shape), options())
              .providerMessageId();
      assertThat(id).as(shape.name()).matches("true_4915100000403@c\\.us_FAKE[0-9]+");
    }
  }

  @Test
  void failuresSayWhetherTryingAgainMayHelp() {
    waha.status(name, "WORKING", true);
    ChatId chat = ChatId.parse("4915100000404");

    waha.failNext(
        "POST /api/sendText", 503, "{\"statusCode\":503,\"message\":\"engine restarting\"}");
    TransportException unavailable = sendFails(chat);
    waha.failNext(
        "POST /api/sendText",
        400,
        "{\"statusCode\":400,\"message\":[\"chatId must be a string\"],\"error\":\"Bad Request\"}");
    TransportException badRequest = sendFails(chat);
    waha.status(name, "SCAN_QR_CODE", false);
    TransportException notWorking = sendFails(chat);

    assertThat(unavailable.retryable()).isTrue();
    assertThat(unavailable.getMessage()).contains("503").contains("engine restarting");
    assertThat(badRequest.retryable()).isFalse();
    assertThat(badRequest.getMessage()).contains("400").contains("chatId must be a string");
    assertThat(notWorking.retryable()).isTrue();
    assertThat(notWorking.getMessage()).contains("422").contains("not as expected");
    // WAHA may fail after handing the message to WhatsApp; a 4xx refuses it before.
    assertThat(unavailable.outcome()).isEqualTo(TransportException.Outcome.UNKNOWN);
    assertThat(badRequest.outcome()).isEqualTo(TransportException.Outcome.NOT_SENT);
    assertThat(notWorking.outcome()).isEqualTo(TransportException.Outcome.NOT_SENT);
  }

  @Test
  void aWahaThatCannotBeReachedIsWorthRetrying() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    WahaTransport unreachable = transport("http://127.0.0.1:" + closedPort, Duration.ofSeconds(2));

    TransportException refused =
        catchThrowableOfType(
            TransportException.class,
            () ->
                unreachable.send(
                    session,
                    ChatId.parse("4915100000405"),
                    new OutboundMessage.Text("Hi"),
                    options()));

    assertThat(refused.retryable()).isTrue();
    assertThat(refused.getMessage()).contains("did not answer");
    assertThat(refused.outcome())
        .as("nothing left: sending again cannot duplicate")
        .isEqualTo(TransportException.Outcome.NOT_SENT);
  }

  @Test
  void aWahaThatDoesNotAnswerInTimeIsWorthRetrying() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer silent =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    silent.createContext(
        "/",
        exchange -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    silent.start();
    try {
      WahaTransport slow =
          transport("http://127.0.0.1:" + silent.getAddress().getPort(), Duration.ofMillis(300));

      TransportException timedOut =
          catchThrowableOfType(
              TransportException.class,
              () ->
                  slow.send(
                      session,
                      ChatId.parse("4915100000406"),
                      new OutboundMessage.Text("Hi"),
                      options()));

      assertThat(timedOut.retryable()).isTrue();
      assertThat(timedOut.getMessage()).contains("did not answer");
      assertThat(timedOut.outcome())
          .as("WAHA had the request and may have sent it")
          .isEqualTo(TransportException.Outcome.UNKNOWN);
    } finally {
      release.countDown();
      silent.stop(0);
    }
  }

  @Test
  void aConnectionBrokenAfterTheRequestLeftLeavesTheOutcomeUnknown() throws IOException {
    HttpServer hangsUp =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Reads the whole request, then closes the connection without answering.
    hangsUp.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.close();
        });
    hangsUp.start();
    try {
      WahaTransport broken =
          transport("http://127.0.0.1:" + hangsUp.getAddress().getPort(), Duration.ofSeconds(5));

      TransportException lost =
          catchThrowableOfType(
              TransportException.class,
              () ->
                  broken.send(
                      session,
                      ChatId.parse("4915100000409"),
                      new OutboundMessage.Text("Hi"),
                      options()));

      assertThat(lost.outcome()).isEqualTo(TransportException.Outcome.UNKNOWN);
      assertThat(lost.retryable()).isTrue();
    } finally {
      hangsUp.stop(0);
    }
  }

  @Test
  void pairingAndAccountHealth() throws Exception {
    waha.status(name, "SCAN_QR_CODE", false);

    assertThat(transport.qrCode(session)).isEqualTo("2@FAKEQR," + name);
    assertThat(waha.requests(name, "GET", "/api/" + name + "/auth/qr").getLast().query())
        .isEqualTo("format=raw");
    assertThat(transport.requestPairingCode(session, "+49 151 0000407")).isEqualTo("WXYZ-1234");
    JSONAssert.assertEquals(
        "{\"phoneNumber\": \"491510000407\"}",
        waha.requests(name, "POST", "/api/" + name + "/auth/request-code")
            .getLast()
            .body()
            .toString(),
        JSONCompareMode.STRICT);
    assertThat(transport.health(session)).isEmpty();

    waha.status(name, "WORKING", true);
    AccountHealth health = transport.health(session).orElseThrow();
    assertThat(health.phoneNumber()).isEqualTo(FakeWaha.phoneOf(name));
    assertThat(health.reachoutLockedUntil()).isAfter(Instant.now());
    assertThat(health.cappingStatus()).isEqualTo("FIRST_WARNING");
    assertThat(health.quotaUsed()).isEqualTo(840);
    assertThat(health.quotaTotal()).isEqualTo(1000);
    TransportException noQr =
        catchThrowableOfType(TransportException.class, () -> transport.qrCode(session));
    assertThat(noQr.retryable()).isTrue();
  }

  @Test
  void directoryOfNumbersAndGroups() {
    waha.status(name, "WORKING", true);

    NumberCheck known = transport.checkNumber(session, "4915100000408");
    NumberCheck unknown = transport.checkNumber(session, "4990000000001");
    List<GroupSummary> groups = transport.groups(session);
    waha.failNext(
        "GET /api/" + name + "/groups",
        200,
        "[{\"id\": {\"_serialized\": \"120363000000000003@g.us\"}, \"name\": \"Array form\", \"participants\": [{}, {}]}]");
    List<GroupSummary> asArray = transport.groups(session);
    List<GroupMember> members = transport.members(session, ChatId.parse("120363000000000001@g.us"));

    assertThat(known)
        .isEqualTo(new NumberCheck("4915100000408", true, ChatId.parse("4915100000408")));
    assertThat(unknown.exists()).isFalse();
    assertThat(unknown.chatId()).isNull();
    assertThat(waha.requests(name, "GET", "/api/contacts/check-exists").getFirst().query())
        .isEqualTo("phone=4915100000408&session=" + name);
    assertThat(groups)
        .containsExactly(
            new GroupSummary(
                ChatId.parse("120363000000000001@g.us"), "Porto runners", "Sunday runs", 3),
            new GroupSummary(ChatId.parse("120363000000000002@g.us"), "Suppliers", null, 0));
    assertThat(asArray)
        .containsExactly(
            new GroupSummary(ChatId.parse("120363000000000003@g.us"), "Array form", null, 2));
    assertThat(members)
        .containsExactly(
            new GroupMember(
                new WaIdentity("111111111111111@lid", "4915100000201", null), "superadmin"),
            new GroupMember(new WaIdentity(null, "4915100000202", null), "member"),
            new GroupMember(new WaIdentity("222222222222222@lid", null, null), "admin"));
  }

  @Test
  void businessLabels() throws Exception {
    waha.status(name, "WORKING", true);

    List<TransportLabel> labels = transport.labels(session);
    TransportLabel created =
        transport.saveLabel(session, new TransportLabel(null, "Hot lead", "#ff9485"));
    TransportLabel renamed =
        transport.saveLabel(session, new TransportLabel("7", "Warm lead", null));
    transport.deleteLabel(session, "7");

    assertThat(labels).containsExactly(new TransportLabel("1", "New Client", "#64c4ff"));
    assertThat(created).isEqualTo(new TransportLabel("7", "Hot lead", "#ff9485"));
    JSONAssert.assertEquals(
        "{\"name\": \"Hot lead\", \"colorHex\": \"#ff9485\"}",
        waha.requests(name, "POST", "/api/" + name + "/labels").getFirst().body().toString(),
        JSONCompareMode.STRICT);
    assertThat(renamed.name()).isEqualTo("Warm lead");
    assertThat(waha.requests(name, "PUT", "/api/" + name + "/labels/7")).hasSize(1);
    assertThat(waha.requests(name, "DELETE", "/api/" + name + "/labels/7")).hasSize(1);
  }

  @Test
  void mediaComesFromWahaWithTheKeyAndFromElsewhereWithoutIt() throws IOException {
    String port = URI.create(waha.baseUrl()).getPort() + "";

    String fromWaha;
    try (InputStream media =
        transport.download(
            session, "http://waha.public.example:3000/api/files/" + name + "/AAA.oga")) {
      fromWaha = new String(media.readAllBytes(), StandardCharsets.UTF_8);
    }
    TransportException elsewhere =
        catchThrowableOfType(
            TransportException.class,
            () ->
                transport.download(session, "http://localhost:" + port + "/cdn/" + name + ".oga"));

    assertThat(fromWaha).isEqualTo("media of " + name + "/AAA.oga");
    FakeWaha.Request file =
        waha.requests(r -> r.path().equals("/api/files/" + name + "/AAA.oga")).getFirst();
    assertThat(file.header("X-Api-Key")).isEqualTo(FakeWaha.API_KEY);
    assertThat(elsewhere.retryable()).isFalse();
    FakeWaha.Request foreign =
        waha.requests(r -> r.path().equals("/cdn/" + name + ".oga")).getFirst();
    assertThat(foreign.header("X-Api-Key")).isNull();
  }

  private TransportException sendFails(ChatId chat) {
    return catchThrowableOfType(
        TransportException.class,
        () -> transport.send(session, chat, new OutboundMessage.Text("Hi"), options()));
  }

  private SessionState lastState() {
    return reported.stream()
        .filter(TransportEvent.SessionStateChanged.class::isInstance)
        .map(TransportEvent.SessionStateChanged.class::cast)
        .reduce((first, last) -> last)
        .map(TransportEvent.SessionStateChanged::state)
        .orElse(null);
  }

  private static SendOptions options() {
    return new SendOptions(UUID.randomUUID().toString(), null);
  }

  private static SentLookup lookup(ChatId chat, OutboundMessage message, Instant claimed) {
    return new SentLookup(UUID.randomUUID().toString(), chat, message, claimed);
  }

  private static WahaTransport transport(String baseUrl, Duration timeout) {
    GatewaySettings settings =
        new GatewaySettings(
            TransportKind.WAHA,
            new GatewaySettings.Simulator(Duration.ZERO, Duration.ZERO, Duration.ZERO),
            new GatewaySettings.Waha(
                URI.create(baseUrl),
                FakeWaha.API_KEY,
                FakeWaha.SECRET,
                FakeWaha.WEBHOOK_URL,
                timeout),
            null);
    return new WahaTransport(settings, RestClient.builder(), Clock.systemUTC());
  }
}
