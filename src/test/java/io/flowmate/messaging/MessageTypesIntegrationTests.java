package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.MediaServer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every message type, what can be done to messages afterwards, and reading conversations. */
class MessageTypesIntegrationTests extends IntegrationTest {

  private TestTenant tenant;
  private String session;

  @BeforeEach
  void workingSession() {
    tenant = newTenant().allowingColdMessages();
    session = tenant.workingSession();
  }

  @Test
  void everyTypeReachesWhatsApp() {
    String to = "4915100000201";
    List<Api.Response> sent;
    try (MediaServer files =
        MediaServer.start()
            .serve("/a.jpg", "image/jpeg", new byte[] {1, 2, 3})
            .serve("/v.ogg", "audio/ogg", new byte[] {4, 5})
            .serve("/s.webp", "image/webp", new byte[] {6})
            .serve("/g.mp4", "video/mp4", new byte[] {7, 8})) {
      sent =
          List.of(
              post(
                  "/send/media",
                  Map.of(
                      "media_type", "image", "media_url", files.url("/a.jpg"), "caption", "Look")),
              post(
                  "/send/media",
                  Map.of(
                      "media_type",
                      "document",
                      "media_base64",
                      Base64.getEncoder().encodeToString("%PDF-1.7".getBytes()),
                      "mimetype",
                      "application/pdf",
                      "filename",
                      "offer.pdf")),
              post("/send/media", Map.of("media_type", "voice", "media_url", files.url("/v.ogg"))),
              post("/send/sticker", Map.of("media_url", files.url("/s.webp"))),
              post("/send/gif", Map.of("media_url", files.url("/g.mp4"))),
              post(
                  "/send/poll",
                  Map.of(
                      "title",
                      "Which day?",
                      "options",
                      List.of("Mon", "Tue"),
                      "allow_multiple",
                      true)),
              post(
                  "/send/location",
                  Map.of("latitude", 38.7223, "longitude", -9.1393, "title", "Office")),
              post(
                  "/send/contact",
                  Map.of(
                      "contacts",
                      List.of(
                          Map.of("full_name", "Ana Lima", "phone_number", "+351 912 345 678")))));

      sent.forEach(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
      for (Api.Response r : sent) {
        tenant.awaitMessageStatus(r.text("id"), r == sent.get(2) ? "played" : "read");
      }
    }
    List<String> types = deliveries().findValuesAsText("type");
    assertThat(types)
        .containsExactly(
            "image", "document", "voice", "sticker", "gif", "poll", "location", "contact");
    JsonNode voice = tenant.api().get("/api/v2/messages/" + sent.get(2).text("id")).json();
    assertThat(voice.get("message_type").asText()).isEqualTo("voice");
    assertThat(voice.get("played_at").isNull()).isFalse();
    JsonNode poll = sent.get(5).json();
    assertThat(poll.get("payload").get("options").toString()).isEqualTo("[\"Mon\",\"Tue\"]");
    assertThat(sent.get(7).json().at("/payload/contacts/0/phone_number").asText())
        .isEqualTo("351912345678");
  }

  @Test
  void replyQuotesAnEarlierMessageAndReactionsTargetOne() {
    Api.Response first = post("/send", Map.of("message", "Can you come at 10?"));
    tenant.awaitMessageStatus(first.text("id"), "read");
    String waId = tenant.api().get("/api/v2/messages/" + first.text("id")).text("wa_message_id");

    Api.Response reply = post("/send", Map.of("message", "Or at 11?", "reply_to", waId));
    Api.Response reaction =
        tenant
            .api()
            .post(
                "/api/v2/messages/send/reaction",
                Map.of("message_id", first.text("id"), "emoji", "👍"));

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reaction.status()).isEqualTo(201);
    tenant.awaitMessageStatus(reaction.text("id"), "read");
    JsonNode deliveries = deliveries();
    assertThat(deliveries.get(1).get("reply_to").asText()).isEqualTo(waId);
    assertThat(deliveries.get(2).get("type").asText()).isEqualTo("reaction");
  }

  @Test
  void invalidMessagesAre422WithTheReason() {
    assertInvalid(
        post("/send/poll", Map.of("title", "Only one", "options", List.of("A"))), "options");
    assertInvalid(
        post("/send/poll", Map.of("title", "Same", "options", List.of("A", "A"))), "different");
    assertInvalid(
        post("/send/media", Map.of("media_type", "image", "media_url", "ftp://example.com/a.jpg")),
        "http(s)");
    assertInvalid(
        post("/send/media", Map.of("media_type", "image")),
        "exactly one of media_url and media_base64");
    assertInvalid(
        post(
            "/send/media",
            Map.of("media_type", "image", "media_base64", "***", "mimetype", "image/png")),
        "base64");
    assertInvalid(
        post("/send/media", Map.of("media_type", "hologram", "media_url", "https://example.com/a")),
        "media_type");
    assertInvalid(post("/send/location", Map.of("latitude", 91, "longitude", 0)), "latitude");
    assertInvalid(
        post("/send/contact", Map.of("contacts", List.of(Map.of("full_name", "No phone")))),
        "phone_number");
  }

  @Test
  void aSentTextCanBeEditedAndDeletedForEveryone() {
    Api.Response sent = post("/send", Map.of("message", "Meet at 10"));
    tenant.awaitMessageStatus(sent.text("id"), "read");

    Api.Response edited =
        tenant.api().patch("/api/v2/messages/" + sent.text("id"), Map.of("message", "Meet at 11"));
    Api.Response deleted = tenant.api().delete("/api/v2/messages/" + sent.text("id"));

    assertThat(edited.status()).isEqualTo(200);
    assertThat(edited.text("content_preview")).isEqualTo("Meet at 11");
    assertThat(edited.text("edited_at")).isNotNull();
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.text("revoked_at")).isNotNull();
    assertThat(activities().findValuesAsText("action")).containsSubsequence("edit", "revoke");
  }

  @Test
  void deletingAMessageThatHasNotLeftCancelsIt() {
    tenant.api().post("/api/v2/sessions/" + session + "/stop");
    await()
        .until(
            () -> "stopped".equals(tenant.api().get("/api/v2/sessions/" + session).text("status")));
    Api.Response queued = post("/send", Map.of("message", "Not yet"));

    Api.Response deleted = tenant.api().delete("/api/v2/messages/" + queued.text("id"));

    assertThat(deleted.text("status")).isEqualTo("cancelled");
    assertThat(deleted.text("failure_reason")).contains("deleted before it was sent");
  }

  @Test
  void typingAndReadMarksReachWhatsApp() {
    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    tenant.contactWrites(session, "4915100000201", "Hello there");
    String inboundId = awaitInboundMessage("4915100000201@c.us");

    Api.Response typing =
        tenant
            .api()
            .post(
                "/api/v2/messages/typing",
                Map.of("session_id", session, "chat_id", "4915100000201"));
    Api.Response read = tenant.api().post("/api/v2/messages/" + inboundId + "/read");

    assertThat(typing.status()).isEqualTo(204);
    assertThat(read.status()).isEqualTo(200);
    assertThat(activities().findValuesAsText("action")).containsSubsequence("typing", "seen");
  }

  @Test
  void readingConversationsNeedsTheChatHistoryOptIn() {
    tenant.contactWrites(session, "4915100000202", "Do you deliver on Sundays?");
    Api.Response sent =
        post("/send", Map.of("chat_id", "4915100000202", "message", "Yes, until noon"));

    Api.Response chatsBefore = tenant.api().get("/api/v2/messages/chats/" + session);
    Api.Response chatBefore =
        tenant.api().get("/api/v2/messages/chat/" + session + "/4915100000202@c.us");
    assertThat(chatsBefore.status()).isEqualTo(403);
    assertThat(chatsBefore.text("detail")).startsWith("Chat history access requires opt-in");
    assertThat(chatBefore.status()).isEqualTo(403);
    assertThat(tenant.api().get("/api/v2/messages/" + sent.text("id")).status())
        .as("what the tenant sent stays readable")
        .isEqualTo(200);

    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    String inboundId = awaitInboundMessage("4915100000202@c.us");
    Api.Response chats = tenant.api().get("/api/v2/messages/chats/" + session);
    Api.Response chat =
        tenant.api().get("/api/v2/messages/chat/" + session + "/4915100000202@c.us");

    assertThat(chats.status()).isEqualTo(200);
    assertThat(chats.json().get("items").findValuesAsText("chat_id"))
        .containsExactly("4915100000202@c.us");
    assertThat(chat.json().get("items").findValuesAsText("direction"))
        .containsExactly("outbound", "inbound");
    assertThat(tenant.api().get("/api/v2/messages/" + inboundId).text("sender_phone"))
        .isEqualTo("4915100000202");
  }

  @Test
  void aReplyMarksTheSentMessageReplied() {
    Api.Response sent = post("/send", Map.of("message", "Shall I book the table?"));
    tenant.awaitMessageStatus(sent.text("id"), "read");

    tenant.contactWrites(session, "4915100000201", "Yes please");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            "replied"
                .equals(
                    tenant.api().get("/api/v2/messages/" + sent.text("id")).text("engagement")));
  }

  @Test
  void receivedReactionsAreRecordedOnTheirMessage() {
    Api.Response sent = post("/send", Map.of("message", "New menu online"));
    tenant.awaitMessageStatus(sent.text("id"), "read");
    String waId = tenant.api().get("/api/v2/messages/" + sent.text("id")).text("wa_message_id");

    tenant
        .api()
        .post(
            "/api/v2/simulator/sessions/" + session + "/reactions",
            Map.of("from", "4915100000201", "wa_message_id", waId, "emoji", "❤️"));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            tenant
                    .api()
                    .get("/api/v2/messages/" + sent.text("id"))
                    .json()
                    .at("/payload/reactions")
                    .size()
                == 1);
  }

  /** The id of the first received message in the chat, once it is stored. */
  private String awaitInboundMessage(String chatId) {
    return await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              for (JsonNode item :
                  tenant
                      .api()
                      .get("/api/v2/messages/chat/" + session + "/" + chatId)
                      .json()
                      .get("items")) {
                if (item.get("direction").asText().equals("inbound")) {
                  return item.get("id").asText();
                }
              }
              return null;
            },
            java.util.Objects::nonNull);
  }

  private Api.Response post(String path, Map<String, Object> fields) {
    Map<String, Object> body = new java.util.HashMap<>(fields);
    body.put("session_id", session);
    body.putIfAbsent("chat_id", "4915100000201");
    return tenant.api().post("/api/v2/messages" + path, body);
  }

  private JsonNode deliveries() {
    return tenant.api().get("/api/v2/simulator/sessions/" + session + "/deliveries").json();
  }

  private JsonNode activities() {
    return tenant.api().get("/api/v2/simulator/sessions/" + session + "/activities").json();
  }

  private static void assertInvalid(Api.Response response, String detailPart) {
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.text("detail")).contains(detailPart);
  }
}
