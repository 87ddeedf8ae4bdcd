package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.spi.AccountHealth;
import io.flowmate.gateway.spi.GroupMember;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.Ack;
import io.flowmate.gateway.spi.TransportEvent.DeliveryChanged;
import io.flowmate.gateway.spi.TransportEvent.MessageReceived;
import io.flowmate.gateway.spi.TransportEvent.SessionState;
import io.flowmate.gateway.spi.TransportEvent.SessionStateChanged;
import io.flowmate.gateway.spi.WaIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** WAHA's webhook payloads (as the engines write them) into Flowmate's events. */
class WahaEventsTests {

  private static final UUID SESSION = UUID.fromString("01a2f000-0000-7000-8000-000000000001");
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  private final WahaEvents waha = new WahaEvents(Clock.fixed(NOW, ZoneOffset.UTC));
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void theComposeFileSubscribesWahasGlobalWebhookToEveryEventFlowmateReads() throws IOException {
    String compose = java.nio.file.Files.readString(java.nio.file.Path.of("docker-compose.yml"));
    java.util.regex.Matcher events =
        java.util.regex.Pattern.compile("WHATSAPP_HOOK_EVENTS: (\\S+)").matcher(compose);
    assertThat(events.find()).as("docker-compose.yml sets WHATSAPP_HOOK_EVENTS").isTrue();
    assertThat(List.of(events.group(1).split(",")))
        .containsExactlyInAnyOrderElementsOf(WahaEvents.SUBSCRIBED);
  }

  // --- session.status ---------------------------------------------------------------------------

  @Test
  void sessionStatusesBecomeFlowmateStates() {
    assertThat(state("STARTING", null, null).state()).isEqualTo(SessionState.STARTING);
    assertThat(state("SCAN_QR_CODE", null, null).state()).isEqualTo(SessionState.QR_CODE);
    assertThat(state("STOPPED", null, null).state()).isEqualTo(SessionState.STOPPED);
    SessionStateChanged failed = state("FAILED", null, null);
    assertThat(failed.state()).isEqualTo(SessionState.FAILED);
    assertThat(failed.reason()).contains("FAILED");
    assertThat(events("session.status", "{\"status\":\"SOMETHING_NEW\"}")).isEmpty();
  }

  @Test
  void workingCarriesTheLinkedAccountFromTheEnvelope() {
    SessionStateChanged working =
        state(
            "WORKING",
            null,
            "{\"id\":\"4915100000001@c.us\",\"lid\":\"123456789012345@lid\",\"pushName\":\"Shop\"}");

    assertThat(working.state()).isEqualTo(SessionState.WORKING);
    assertThat(working.me())
        .isEqualTo(new WaIdentity("123456789012345@lid", "4915100000001", "Shop"));
  }

  @Test
  void bothPasskeyStepsAskTheOperator() {
    SessionStateChanged challenge =
        state("PASSKEY_REQUIRED", "{\"challenge\":\"abc\",\"rpId\":\"web.whatsapp.com\"}", null);
    SessionStateChanged textChallenge = state("PASSKEY_REQUIRED", "\"abc\"", null);
    SessionStateChanged confirmation =
        state("PASSKEY_CONFIRMATION_REQUIRED", "{\"code\":\"472913\"}", null);

    assertThat(challenge.state()).isEqualTo(SessionState.PASSKEY_REQUIRED);
    assertThat(challenge.passkeyChallenge())
        .isEqualTo("{\"challenge\":\"abc\",\"rpId\":\"web.whatsapp.com\"}");
    assertThat(textChallenge.passkeyChallenge()).isEqualTo("abc");
    assertThat(confirmation.state()).isEqualTo(SessionState.PASSKEY_REQUIRED);
    assertThat(confirmation.passkeyChallenge()).isEqualTo("472913");
  }

  // --- messages ---------------------------------------------------------------------------------

  @Test
  void anIncomingImageKeepsItsMediaAndCaption() {
    MessageReceived received =
        only(
            MessageReceived.class,
            events(
                "message",
                """
                {"id": "false_4915100000002@c.us_AAA", "timestamp": 1764000000, "from": "4915100000002@c.us",
                 "fromMe": false, "source": "app", "body": "Look", "hasMedia": true,
                 "media": {"url": "http://waha:3000/api/files/s/AAA.jpeg", "mimetype": "image/jpeg", "filename": null},
                 "replyTo": {"id": "true_4915100000002@c.us_BBB"}}\
                """));

    assertThat(received.content().type()).isEqualTo("image");
    assertThat(received.content().text()).isEqualTo("Look");
    assertThat(received.content().mediaUrl()).isEqualTo("http://waha:3000/api/files/s/AAA.jpeg");
    assertThat(received.content().mimetype()).isEqualTo("image/jpeg");
    assertThat(received.replyTo()).isEqualTo("true_4915100000002@c.us_BBB");
    assertThat(received.occurredAt()).isEqualTo(Instant.ofEpochSecond(1764000000));
  }

  @Test
  void mediaTypesFollowTheMimetype() {
    assertThat(mediaType("audio/ogg; codecs=opus")).isEqualTo("voice");
    assertThat(mediaType("audio/mpeg")).isEqualTo("audio");
    assertThat(mediaType("video/mp4")).isEqualTo("video");
    assertThat(mediaType("image/webp")).isEqualTo("sticker");
    assertThat(mediaType("application/pdf")).isEqualTo("document");
  }

  @Test
  void locationsAndContactCardsKeepTheirDetails() {
    MessageReceived location =
        only(
            MessageReceived.class,
            events(
                "message",
                """
                {"id": "false_4915100000003@c.us_L", "from": "4915100000003@c.us", "fromMe": false, "body": "",
                 "location": {"latitude": "41.1496", "longitude": -8.611, "name": "Shop", "address": "Porto"}}\
                """));
    MessageReceived contact =
        only(
            MessageReceived.class,
            events(
                "message",
                """
                {"id": "false_4915100000003@c.us_V", "from": "4915100000003@c.us", "fromMe": false, "body": "",
                 "vCards": ["BEGIN:VCARD\\nFN:Jane\\nEND:VCARD"]}\
                """));

    assertThat(location.content().type()).isEqualTo("location");
    assertThat(location.content().details())
        .containsEntry("latitude", 41.1496)
        .containsEntry("longitude", -8.611)
        .containsEntry("name", "Shop")
        .containsEntry("address", "Porto");
    assertThat(contact.content().type()).isEqualTo("contact");
    assertThat(contact.content().details())
        .containsEntry("vcards", List.of("BEGIN:VCARD\nFN:Jane\nEND:VCARD"));
  }

  @Test
  void aGroupMessageFromALinkedIdWithItsNumberTeachesTheMapping() {
    List<TransportEvent> events =
        events(
            "message",
            """
            {"id": "false_120363000000000001@g.us_X_111111111111111@lid", "from": "120363000000000001@g.us",
             "participant": "111111111111111@lid", "fromMe": false, "body": "hi all",
             "_data": {"key": {"remoteJid": "120363000000000001@g.us", "participant": "111111111111111@lid",
                               "participantAlt": "4915100000004@s.whatsapp.net"}, "pushName": "Ana"}}\
            """);

    WaIdentity ana = new WaIdentity("111111111111111@lid", "4915100000004", "Ana");
    assertThat(events).hasSize(2);
    assertThat(events.getFirst())
        .isEqualTo(new TransportEvent.IdentityLearned(SessionId.of(SESSION), ana, NOW));
    MessageReceived received = (MessageReceived) events.get(1);
    assertThat(received.chat()).isEqualTo(ChatId.parse("120363000000000001@g.us"));
    assertThat(received.sender()).isEqualTo(ana);
  }

  @Test
  void aLinkedIdWithoutItsNumberStaysALinkedId() {
    MessageReceived received =
        only(
            MessageReceived.class,
            events(
                "message",
                """
                {"id": "false_222222222222222@lid_Y", "from": "222222222222222@lid", "fromMe": false, "body": "hello"}\
                """));

    assertThat(received.chat()).isEqualTo(ChatId.parse("222222222222222@lid"));
    assertThat(received.sender()).isEqualTo(new WaIdentity("222222222222222@lid", null, null));
  }

  @Test
  void onlyMessagesTypedOnThePhoneAreTakenFromMessageAny() {
    String fromPhone =
        """
        {"id": "true_4915100000005@c.us_P", "from": "4915100000009@c.us", "to": "4915100000005@c.us",
         "fromMe": true, "source": "app", "body": "typed on the phone"}\
        """;
    String fromApi = fromPhone.replace("\"app\"", "\"api\"");
    String incoming =
        """
        {"id": "false_4915100000005@c.us_Q", "from": "4915100000005@c.us", "fromMe": false, "source": "app", "body": "x"}\
        """;

    MessageReceived typed =
        only(
            MessageReceived.class,
            events("message.any", fromPhone, "{\"id\":\"4915100000009@c.us\"}"));

    assertThat(typed.fromMe()).isTrue();
    assertThat(typed.chat()).isEqualTo(ChatId.parse("4915100000005@c.us"));
    assertThat(typed.sender().phoneNumber()).isEqualTo("4915100000009");
    assertThat(events("message.any", fromApi)).isEmpty();
    assertThat(events("message.any", incoming)).isEmpty();
    assertThat(events("message", fromPhone)).isEmpty();
  }

  @Test
  void broadcastsAndChannelsAreIgnored() {
    assertThat(
            events(
                "message",
                "{\"id\":\"false_status@broadcast_Z\",\"from\":\"status@broadcast\",\"body\":\"story\"}"))
        .isEmpty();
    assertThat(
            events(
                "message",
                "{\"id\":\"false_1@newsletter_Z\",\"from\":\"123@newsletter\",\"body\":\"news\"}"))
        .isEmpty();
  }

  // --- acks -------------------------------------------------------------------------------------

  @Test
  void acksMoveForwardByName() {
    assertThat(ack("{\"id\":\"true_4915100000006@c.us_A\",\"ack\":1,\"ackName\":\"SERVER\"}").ack())
        .isEqualTo(Ack.SERVER);
    assertThat(ack("{\"id\":\"true_4915100000006@c.us_A\",\"ack\":2,\"ackName\":\"DEVICE\"}").ack())
        .isEqualTo(Ack.DEVICE);
    assertThat(ack("{\"id\":\"true_4915100000006@c.us_A\",\"ack\":3,\"ackName\":\"READ\"}").ack())
        .isEqualTo(Ack.READ);
    assertThat(ack("{\"id\":\"true_4915100000006@c.us_A\",\"ack\":4}").ack()).isEqualTo(Ack.PLAYED);
    assertThat(ack("{\"id\":\"true_4915100000006@c.us_A\",\"ack\":-1,\"ackName\":\"ERROR\"}").ack())
        .isEqualTo(Ack.FAILED);
    assertThat(
            events(
                "message.ack",
                "{\"id\":\"true_4915100000006@c.us_A\",\"ack\":0,\"ackName\":\"PENDING\"}"))
        .isEmpty();
  }

  @Test
  void error463BecomesAFailureWithItsLockEnd() {
    DeliveryChanged failed =
        ack(
            """
            {"id": "true_4915100000007@c.us_B", "ack": -1, "ackName": "ERROR",
             "error": {"code": "463", "blocked": true, "until": "2026-11-25T12:00:00.000Z", "enforcementType": "DEFAULT"}}\
            """);

    assertThat(failed.ack()).isEqualTo(Ack.FAILED);
    assertThat(failed.error().code()).isEqualTo("463");
    assertThat(failed.error().blocked()).isTrue();
    assertThat(failed.error().until()).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
    assertThat(failed.error().reason()).isEqualTo("DEFAULT");
  }

  // --- reactions, edits, revokes, polls ---------------------------------------------------------

  @Test
  void reactionsEditsRevokesAndVotes() {
    TransportEvent.ReactionReceived reaction =
        only(
            TransportEvent.ReactionReceived.class,
            events(
                "message.reaction",
                """
                {"id": "false_4915100000008@c.us_R", "from": "4915100000008@c.us", "fromMe": false,
                 "reaction": {"text": "", "messageId": "true_4915100000008@c.us_M"}}\
                """));
    TransportEvent.MessageEdited edited =
        only(
            TransportEvent.MessageEdited.class,
            events(
                "message.edited",
                """
                {"id": "false_4915100000008@c.us_E", "from": "4915100000008@c.us", "fromMe": false, "body": "fixed",
                 "editedMessageId": "false_4915100000008@c.us_M2"}\
                """));
    TransportEvent.MessageRevoked revoked =
        only(
            TransportEvent.MessageRevoked.class,
            events(
                "message.revoked",
                """
                {"revokedMessageId": "M3", "before": {"id": "false_4915100000008@c.us_M3", "from": "4915100000008@c.us", "fromMe": false}}\
                """));
    TransportEvent.PollVoted vote =
        only(
            TransportEvent.PollVoted.class,
            events(
                "poll.vote",
                """
                {"vote": {"id": "false_120363000000000001@g.us_V", "from": "120363000000000001@g.us",
                          "participant": "4915100000008@c.us", "selectedOptions": ["Yes"], "timestamp": 1764000000},
                 "poll": {"id": "true_120363000000000001@g.us_P", "to": "120363000000000001@g.us", "fromMe": true}}\
                """));

    assertThat(reaction.emoji()).isEmpty();
    assertThat(reaction.targetProviderMessageId()).isEqualTo("true_4915100000008@c.us_M");
    assertThat(reaction.sender().phoneNumber()).isEqualTo("4915100000008");
    assertThat(edited.providerMessageId()).isEqualTo("false_4915100000008@c.us_M2");
    assertThat(edited.text()).isEqualTo("fixed");
    assertThat(revoked.providerMessageId()).isEqualTo("false_4915100000008@c.us_M3");
    assertThat(revoked.chat()).isEqualTo(ChatId.parse("4915100000008@c.us"));
    assertThat(vote.chat()).isEqualTo(ChatId.parse("120363000000000001@g.us"));
    assertThat(vote.pollProviderMessageId()).isEqualTo("true_120363000000000001@g.us_P");
    assertThat(vote.voter().phoneNumber()).isEqualTo("4915100000008");
    assertThat(vote.selectedOptions()).containsExactly("Yes");
  }

  // --- groups and labels ------------------------------------------------------------------------

  @Test
  void groupEvents() {
    TransportEvent.GroupChanged joined =
        only(
            TransportEvent.GroupChanged.class,
            events(
                "group.v2.join",
                """
                {"timestamp": 1764000000, "group": {"id": "120363000000000001@g.us", "subject": "Runners"}}\
                """));
    TransportEvent.GroupChanged left =
        only(
            TransportEvent.GroupChanged.class,
            events("group.v2.leave", "{\"group\": {\"id\": \"120363000000000001@g.us\"}}"));
    TransportEvent.GroupChanged renamed =
        only(
            TransportEvent.GroupChanged.class,
            events(
                "group.v2.update",
                "{\"group\": {\"id\": \"120363000000000001@g.us\", \"subject\": \"Porto runners\"}}"));
    List<TransportEvent> participants =
        events(
            "group.v2.participants",
            """
            {"group": {"id": "120363000000000001@g.us"}, "type": "promote", "timestamp": 1764000000,
             "participants": [{"id": "111111111111111@lid", "pn": "4915100000010@c.us", "role": "admin"},
                              {"id": "4915100000011@c.us", "role": "participant"}]}\
            """);

    assertThat(joined.member()).isTrue();
    assertThat(joined.subject()).isEqualTo("Runners");
    assertThat(left.member()).isFalse();
    assertThat(renamed.subject()).isEqualTo("Porto runners");
    assertThat(participants.getFirst()).isInstanceOf(TransportEvent.IdentityLearned.class);
    TransportEvent.GroupParticipantsChanged change =
        only(TransportEvent.GroupParticipantsChanged.class, participants);
    assertThat(change.change()).isEqualTo("promote");
    assertThat(change.participants())
        .containsExactly(
            new GroupMember(new WaIdentity("111111111111111@lid", "4915100000010", null), "admin"),
            new GroupMember(new WaIdentity(null, "4915100000011", null), "member"));
  }

  @Test
  void labelEvents() {
    TransportEvent.LabelChanged upserted =
        only(
            TransportEvent.LabelChanged.class,
            events(
                "label.upsert",
                "{\"id\":\"10\",\"name\":\"VIP\",\"color\":14,\"colorHex\":\"#00a0f2\"}"));
    TransportEvent.LabelChanged deleted =
        only(
            TransportEvent.LabelChanged.class,
            events("label.deleted", "{\"id\":\"10\",\"name\":\"\"}"));
    TransportEvent.ChatLabelChanged added =
        only(
            TransportEvent.ChatLabelChanged.class,
            events(
                "label.chat.added",
                "{\"labelId\":\"6\",\"chatId\":\"4915100000012@c.us\",\"label\":null}"));
    TransportEvent.ChatLabelChanged removed =
        only(
            TransportEvent.ChatLabelChanged.class,
            events("label.chat.deleted", "{\"labelId\":\"6\",\"chatId\":\"4915100000012@c.us\"}"));

    assertThat(upserted.deleted()).isFalse();
    assertThat(upserted.label().colorHex()).isEqualTo("#00a0f2");
    assertThat(deleted.deleted()).isTrue();
    assertThat(added.added()).isTrue();
    assertThat(added.labelId()).isEqualTo("6");
    assertThat(removed.added()).isFalse();
  }

  // --- shapes that differ by engine -------------------------------------------------------------

  @Test
  void messageIdsInEveryEnginesShape() {
    assertThat(WahaEvents.messageId(node("\"true_4915100000013@c.us_A\"")))
        .isEqualTo("true_4915100000013@c.us_A");
    assertThat(
            WahaEvents.messageId(
                node("{\"_serialized\":\"true_4915100000013@c.us_B\",\"id\":\"B\"}")))
        .isEqualTo("true_4915100000013@c.us_B");
    assertThat(
            WahaEvents.messageId(
                node("{\"fromMe\":true,\"remote\":\"4915100000013@s.whatsapp.net\",\"id\":\"C\"}")))
        .isEqualTo("true_4915100000013@c.us_C");
    assertThat(WahaEvents.messageId(node("null"))).isNull();
  }

  @Test
  void accountHealthFromMeInfo() {
    AccountHealth health =
        WahaEvents.health(
                node(
                    """
                    {"id": "4915100000014@c.us", "lid": "333333333333333@lid", "pushName": "Shop",
                     "reachoutTimelock": {"isActive": true, "timeEnforcementEnds": %d, "enforcementType": "DEFAULT"},
                     "messageCapping": {"cappingStatus": "SECOND_WARNING", "totalQuota": -1, "usedQuota": 12}}\
                    """
                        .formatted(NOW.plusSeconds(86_400).getEpochSecond())),
                NOW)
            .orElseThrow();

    assertThat(health.phoneNumber()).isEqualTo("4915100000014");
    assertThat(health.lid()).isEqualTo("333333333333333@lid");
    assertThat(health.reachoutLockedUntil()).isEqualTo(NOW.plusSeconds(86_400));
    assertThat(health.cappingStatus()).isEqualTo("SECOND_WARNING");
    assertThat(health.quotaUsed()).isEqualTo(12);
    assertThat(health.quotaTotal()).isNull();
    assertThat(WahaEvents.health(node("null"), NOW)).isEmpty();
  }

  // --- helpers ----------------------------------------------------------------------------------

  private SessionStateChanged state(String status, String data, String me) {
    String payload =
        "{\"status\":\"" + status + "\"" + (data == null ? "" : ",\"data\":" + data) + "}";
    return only(SessionStateChanged.class, events("session.status", payload, me));
  }

  private String mediaType(String mimetype) {
    String payload =
        "{\"id\":\"false_4915100000015@c.us_T\",\"from\":\"4915100000015@c.us\",\"fromMe\":false,\"hasMedia\":true,"
            + "\"media\":{\"url\":\"http://waha/api/files/x\",\"mimetype\":\""
            + mimetype
            + "\"}}";
    return only(MessageReceived.class, events("message", payload)).content().type();
  }

  private DeliveryChanged ack(String payload) {
    return only(DeliveryChanged.class, events("message.ack", payload));
  }

  private List<TransportEvent> events(String event, String payload) {
    return events(event, payload, null);
  }

  private List<TransportEvent> events(String event, String payload, String me) {
    Map<String, Object> envelope =
        me == null
            ? Map.of(
                "id",
                "evt_1",
                "timestamp",
                NOW.toEpochMilli(),
                "session",
                "fm_x",
                "event",
                event,
                "payload",
                node(payload))
            : Map.of(
                "id",
                "evt_1",
                "timestamp",
                NOW.toEpochMilli(),
                "session",
                "fm_x",
                "event",
                event,
                "payload",
                node(payload),
                "me",
                node(me));
    return waha.normalise(SessionId.of(SESSION), json.valueToTree(envelope));
  }

  private static <T> T only(Class<T> type, List<TransportEvent> events) {
    List<T> matching = events.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as("%s in %s", type.getSimpleName(), events).hasSize(1);
    return matching.getFirst();
  }

  private JsonNode node(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
