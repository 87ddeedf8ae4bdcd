package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowmate.core.ChatId;
import io.flowmate.gateway.TransportConformanceTests;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.SendOptions;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SessionRef;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.test.context.ContextConfiguration;

/**
 * The conformance suite against WAHA: Flowmate talks to a fake WAHA on loopback, which answers like
 * WAHA's GOWS engine and plays the phone by posting signed webhooks to Flowmate's receiver. Every
 * message type is checked byte for byte against the body WAHA expects.
 */
@ContextConfiguration(initializers = FakeWaha.Properties.class)
class WahaTransportConformanceTests extends TransportConformanceTests {

  private final FakeWaha waha = FakeWaha.shared();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void receiveWebhooksHere() {
    waha.webhookTarget(URI.create("http://127.0.0.1:" + port + "/webhooks/waha"));
  }

  @Override
  protected void scanQrCode(SessionRef session) {
    waha.scanQrCode(session.transportName());
  }

  @Override
  protected void requirePasskey(SessionRef session) {
    waha.requirePasskey(session.transportName());
  }

  @Override
  protected void confirmPasskey(SessionRef session) {
    waha.confirmPasskey(session.transportName());
  }

  @Override
  protected void breakConnection(SessionRef session) {
    waha.fail(session.transportName());
  }

  @Override
  protected String contactWrites(SessionRef session, String phone, String name, String text) {
    ObjectNode message = waha.incomingText(phone + "@c.us", text);
    message.putObject("_data").putObject("Info").put("PushName", name);
    assertThat(waha.post(session.transportName(), "message", message).status()).isEqualTo(200);
    return message.path("id").asText();
  }

  @Override
  protected String contactWritesAndIsReportedAgain(SessionRef session, String phone, String text) {
    ObjectNode message = waha.incomingText(phone + "@c.us", text);
    FakeWaha.Delivery first = waha.post(session.transportName(), "message", message);
    FakeWaha.Delivery retry = waha.redeliver(first);
    assertThat(first.status()).isEqualTo(200);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.eventId()).isEqualTo(first.eventId());
    return message.path("id").asText();
  }

  /**
   * As GOWS reports it: {@code participant} is the LID, the phone number is in {@code
   * _data.Info.SenderAlt}.
   */
  @Override
  protected String participantWritesInGroup(
      SessionRef session, ChatId group, String phone, String text) {
    String lid = FakeWaha.lidOf(phone);
    ObjectNode message = waha.incomingText(group.value(), text);
    message.put(
        "id",
        "false_"
            + group.value()
            + "_"
            + UUID.randomUUID().toString().replace("-", "").toUpperCase()
            + "_"
            + lid);
    message.put("participant", lid);
    message
        .putObject("_data")
        .putObject("Info")
        .put("SenderAlt", phone + "@s.whatsapp.net")
        .put("IsGroup", true);
    assertThat(waha.post(session.transportName(), "message", message).status()).isEqualTo(200);
    return message.path("id").asText();
  }

  /**
   * As NOWEB reports it: {@code from} is the LID, the phone number in {@code
   * _data.key.remoteJidAlt}.
   */
  @Override
  protected String contactMovesToLinkedId(SessionRef session, String phone) {
    String lid = FakeWaha.lidOf(phone);
    waha.knowLid(lid, phone);
    ObjectNode message = waha.incomingText(lid, "I have a new phone");
    message
        .putObject("_data")
        .putObject("key")
        .put("remoteJid", lid)
        .put("remoteJidAlt", phone + "@s.whatsapp.net");
    assertThat(waha.post(session.transportName(), "message", message).status()).isEqualTo(200);
    return lid;
  }

  /** WAHA accepts the send, then the ack says ERROR with error 463 and when the lock ends. */
  @Override
  protected SendReceipt sendRefusedWithReachoutTimelock(SessionRef session, ChatId coldContact) {
    SendReceipt receipt =
        transport.send(
            session,
            coldContact,
            new OutboundMessage.Text("Hi, we met at the fair"),
            new SendOptions(UUID.randomUUID().toString(), null));
    ObjectNode ack = json.createObjectNode();
    ack.put("id", receipt.providerMessageId());
    ack.put("from", FakeWaha.phoneOf(session.transportName()) + "@c.us");
    ack.put("to", coldContact.value());
    ack.put("fromMe", true);
    ack.put("ack", -1);
    ack.put("ackName", "ERROR");
    ack.putObject("error")
        .put("code", "463")
        .put("blocked", true)
        .put("until", Instant.now().plusSeconds(86_400).toString())
        .put("enforcementType", "DEFAULT");
    assertThat(waha.post(session.transportName(), "message.ack", ack).status()).isEqualTo(200);
    return receipt;
  }

  /**
   * The request WAHA got: the endpoint, {@code X-Api-Key}, and the exact JSON body; the receipt
   * carries the id WAHA answered with.
   */
  @Override
  protected void assertSent(SessionRef session, SendCase sent, SendReceipt receipt) {
    String name = session.transportName();
    String expectedPath;
    String expectedBody;
    String to = sent.to().value();
    String replyTo = sent.options().replyTo();
    switch (sent.name()) {
      case "text" -> {
        expectedPath = "/api/sendText";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "text": "Hello *Maria*, see https://example.com",
             "mentions": ["4915100000112@c.us"], "linkPreview": true}\
            """
                .formatted(name, to);
      }
      case "reply" -> {
        expectedPath = "/api/sendText";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "text": "Thanks!", "linkPreview": true, "reply_to": "%s"}\
            """
                .formatted(name, to, replyTo);
      }
      case "image" -> {
        expectedPath = "/api/sendImage";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "caption": "A cat",
             "file": {"mimetype": "image/jpeg", "filename": "cat.jpg", "url": "https://example.com/cat.jpg"}}\
            """
                .formatted(name, to);
      }
      case "document" -> {
        expectedPath = "/api/sendFile";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "caption": "Your offer",
             "file": {"mimetype": "application/pdf", "filename": "offer.pdf", "data": "JVBERi0xLjQK"}}\
            """
                .formatted(name, to);
      }
      case "audio" -> {
        expectedPath = "/api/sendFile";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s",
             "file": {"mimetype": "audio/mpeg", "filename": "jingle.mp3", "url": "https://example.com/jingle.mp3"}}\
            """
                .formatted(name, to);
      }
      case "voice" -> {
        expectedPath = "/api/sendVoice";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "convert": false,
             "file": {"mimetype": "audio/ogg; codecs=opus", "url": "https://example.com/note.ogg"}}\
            """
                .formatted(name, to);
      }
      case "video" -> {
        expectedPath = "/api/sendVideo";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "caption": "The tour", "asNote": false, "convert": false,
             "file": {"mimetype": "video/mp4", "filename": "tour.mp4", "url": "https://example.com/tour.mp4"}}\
            """
                .formatted(name, to);
      }
      case "sticker" -> {
        expectedPath = "/api/sendSticker";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s",
             "file": {"mimetype": "image/webp", "url": "https://example.com/thumbs-up.webp"}}\
            """
                .formatted(name, to);
      }
      case "gif" -> {
        expectedPath = "/api/sendVideo";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "caption": "Dance", "asNote": false, "convert": true,
             "file": {"mimetype": "image/gif", "url": "https://example.com/dance.mp4"}}\
            """
                .formatted(name, to);
      }
      case "poll" -> {
        expectedPath = "/api/sendPoll";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s",
             "poll": {"name": "Run on Sunday?", "options": ["Yes", "No", "Maybe"], "multipleAnswers": false}}\
            """
                .formatted(name, to);
      }
      case "location" -> {
        expectedPath = "/api/sendLocation";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "latitude": 41.1496, "longitude": -8.611, "title": "Our shop"}\
            """
                .formatted(name, to);
      }
      case "contacts" -> {
        expectedPath = "/api/sendContactVcard";
        expectedBody =
            """
            {"session": "%s", "chatId": "%s", "contacts": [
              {"fullName": "Jane Doe", "organization": "Flowmate", "phoneNumber": "+4915100000113", "whatsappId": "4915100000113"},
              {"vcard": "BEGIN:VCARD\\nVERSION:3.0\\nFN:John Doe\\nEND:VCARD"}]}\
            """
                .formatted(name, to);
      }
      case "reaction" -> {
        expectedPath = "/api/reaction";
        OutboundMessage.Reaction reaction = (OutboundMessage.Reaction) sent.message();
        expectedBody =
            """
            {"session": "%s", "messageId": "%s", "reaction": "👍"}\
            """
                .formatted(name, reaction.targetProviderMessageId());
      }
      default -> throw new AssertionError("no expectation for " + sent.name());
    }
    List<FakeWaha.Request> calls =
        waha.requests(name).stream().filter(r -> r.path().equals(expectedPath)).toList();
    assertThat(calls).as(sent.name()).isNotEmpty();
    FakeWaha.Request call = calls.getLast();
    assertThat(call.method()).isEqualTo(sent.name().equals("reaction") ? "PUT" : "POST");
    assertThat(call.header("X-Api-Key")).isEqualTo(FakeWaha.API_KEY);
    try {
      JSONAssert.assertEquals(
          sent.name(), expectedBody, call.body().toString(), JSONCompareMode.STRICT);
    } catch (org.json.JSONException e) {
      throw new AssertionError(e);
    }
    if (!sent.name().equals("reaction")) {
      assertThat(receipt.providerMessageId()).as(sent.name()).startsWith("true_" + to + "_FAKE");
    }
  }
}
