package io.flowmate.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flowmate.admin.apikey.ApiKeyService;
import io.flowmate.admin.apikey.TestApiKeys;
import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.IllegalTransitionException;
import io.flowmate.core.net.OutboundUrlGuardConfiguration;
import io.flowmate.core.net.OutboundUrls;
import io.flowmate.core.security.Caller;
import io.flowmate.core.sse.LiveEvents;
import io.flowmate.messaging.chats.MessageViews;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageType;
import io.flowmate.support.WebSliceTest;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * {@link MessageController} in a web slice: what the send endpoints refuse before anything is
 * stored (422 with the field and the reason, SSRF checks of media URLs by the real {@link
 * OutboundUrls}), how the services' refusals map (404, 409), the 201/200 of idempotent sends, and
 * the key and scope checks. Storing and sending are {@code MessagingIntegrationTests}' and {@code
 * MessageTypesIntegrationTests}'.
 */
@WebSliceTest(MessageController.class)
@Import(OutboundUrlGuardConfiguration.class)
class MessageControllerWebTests {

  private static final String SENDER_KEY = "fm_sender_key_for_this_slice";
  private static final String READER_KEY = "fm_reader_key_for_this_slice";
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID SESSION = UUID.randomUUID();
  private static final Caller SENDER =
      new Caller(TENANT, UUID.randomUUID(), Set.of("messages:send", "messages:read"), false);
  private static final Caller READER =
      new Caller(TENANT, UUID.randomUUID(), Set.of("messages:read"), false);

  @Autowired MockMvc mvc;
  @Autowired ApiKeyService keys;
  @MockitoBean SendMessageService sender;
  @MockitoBean MessageActions actions;
  @MockitoBean MessageViews views;
  @MockitoBean LiveEvents live;

  @BeforeEach
  void keys() {
    TestApiKeys.accept(keys, Map.of(SENDER_KEY, SENDER, READER_KEY, READER));
  }

  private ResultActions send(String path, String body) throws Exception {
    return mvc.perform(
        post("/api/v2/messages" + path)
            .header("X-API-Key", SENDER_KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  private static ResultActions isProblem(ResultActions result, int status, String detail)
      throws Exception {
    return isProblem(result, status, equalTo(detail));
  }

  private static ResultActions isProblem(
      ResultActions result, int status, Matcher<? super String> detail) throws Exception {
    return result
        .andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail", detail));
  }

  private static String text(String chatId, String message) {
    return """
    {"session_id":"%s","chat_id":"%s","message":"%s"}\
    """
        .formatted(SESSION, chatId, message);
  }

  @Test
  void missingFieldsAreA422NamingEachOne() throws Exception {
    isProblem(
        send("/send", "{\"message\":\"hi\"}"),
        422,
        allOf(
            containsString("session_id must not be null"),
            containsString("chat_id must not be blank")));
    verifyNoInteractions(sender);
  }

  @Test
  void aChatIdThatIsNeitherChatNorNumberIsA422() throws Exception {
    isProblem(
        send("/send", text("hello", "hi")), 422, startsWith("'hello' is not a valid chat id"));
    verifyNoInteractions(sender);
  }

  @Test
  void anOverlongTextIsA422WithTheLimit() throws Exception {
    isProblem(
        send("/send", text("4915123456789", "x".repeat(4097))),
        422,
        "message is 4097 characters long; the limit is 4096");
  }

  @Test
  void aSessionIdThatIsNoUuidAndMalformedJsonAreTold() throws Exception {
    isProblem(
        send("/send", "{\"session_id\":\"abc\",\"chat_id\":\"4915123456789\",\"message\":\"hi\"}"),
        422,
        "Field 'session_id' has an invalid value 'abc': expected a UUID");
    isProblem(send("/send", "{\"session_id\":"), 400, startsWith("Malformed JSON"));
    isProblem(send("/send", ""), 400, "The request body is missing; send a JSON object");
  }

  @Test
  void aBodyAboveTheLimitIsA413BeforeItIsRead() throws Exception {
    isProblem(
        send("/send", text("4915123456789", "x".repeat(1_100_000))),
        413,
        startsWith("The request body is larger than the limit of"));
    verifyNoInteractions(sender);
  }

  @Test
  void aNewTextIs201AndAReplayIs200() throws Exception {
    Message stored = MessagesAwaitingApproval.message(TENANT, SESSION, null);
    when(sender.accept(eq(TENANT), any(), eq("order-42")))
        .thenReturn(new SendMessageService.Accepted(stored, false))
        .thenReturn(new SendMessageService.Accepted(stored, true));

    mvc.perform(
            post("/api/v2/messages/send")
                .header("X-API-Key", SENDER_KEY)
                .header("Idempotency-Key", "order-42")
                .contentType(MediaType.APPLICATION_JSON)
                .content(text("+49 151 2345-6789", "Your order is ready")))
        .andExpect(status().isCreated())
        .andExpect(header().string("Idempotent-Replayed", "false"));
    mvc.perform(
            post("/api/v2/messages/send")
                .header("X-API-Key", SENDER_KEY)
                .header("Idempotency-Key", "order-42")
                .contentType(MediaType.APPLICATION_JSON)
                .content(text("+49 151 2345-6789", "Your order is ready")))
        .andExpect(status().isOk())
        .andExpect(header().string("Idempotent-Replayed", "true"));

    ArgumentCaptor<SendMessageService.Draft> draft =
        ArgumentCaptor.forClass(SendMessageService.Draft.class);
    verify(sender, org.mockito.Mockito.times(2))
        .accept(eq(TENANT), draft.capture(), eq("order-42"));
    assertThat(draft.getValue().sessionId()).isEqualTo(SESSION);
    assertThat(draft.getValue().chat()).isEqualTo(ChatId.parse("4915123456789@c.us"));
    assertThat(draft.getValue().content().type()).isEqualTo(MessageType.TEXT);
    assertThat(draft.getValue().content().body()).isEqualTo("Your order is ready");
  }

  @Test
  void mediaNeedsExactlyOneSourceAndAKnownType() throws Exception {
    String both =
        """
        {"session_id":"%s","chat_id":"4915123456789","media_type":"image",
         "media_url":"https://cdn.example.com/a.jpg","media_base64":"aGk=","mimetype":"image/jpeg"}\
        """
            .formatted(SESSION);
    isProblem(send("/send/media", both), 422, "give exactly one of media_url and media_base64");

    String gif =
        """
        {"session_id":"%s","chat_id":"4915123456789","media_type":"gif",
         "media_url":"https://cdn.example.com/a.gif"}\
        """
            .formatted(SESSION);
    isProblem(
        send("/send/media", gif), 422, "media_type must be image, video, document, audio or voice");

    String base64 =
        """
        {"session_id":"%s","chat_id":"4915123456789","media_type":"image",
         "media_base64":"%s","mimetype":"image/png"}\
        """;
    isProblem(
        send("/send/media", base64.formatted(SESSION, "a")),
        422,
        "media_base64 is not valid base64");
    // The MIME decoder skips characters outside the alphabet: nothing is left of these.
    isProblem(send("/send/media", base64.formatted(SESSION, "%%")), 422, "media_base64 is empty");
    verifyNoInteractions(sender);
  }

  @Test
  void aMediaUrlIntoTheCloudMetadataServiceIsRefused() throws Exception {
    String metadata =
        """
        {"session_id":"%s","chat_id":"4915123456789","media_type":"image",
         "media_url":"http://169.254.169.254/latest/meta-data/iam"}\
        """
            .formatted(SESSION);

    isProblem(send("/send/media", metadata), 422, startsWith("media_url is refused: "));
    verifyNoInteractions(sender);
  }

  @Test
  void pollsAndLocationsAreCheckedFieldByField() throws Exception {
    isProblem(
        send(
            "/send/poll",
            "{\"session_id\":\"%s\",\"chat_id\":\"4915123456789\",\"title\":\"Lunch?\",\"options\":[\"Yes\"]}"
                .formatted(SESSION)),
        422,
        "options size must be between 2 and 12");
    isProblem(
        send(
            "/send/poll",
            "{\"session_id\":\"%s\",\"chat_id\":\"4915123456789\",\"title\":\"Lunch?\",\"options\":[\"Yes\",\" Yes \"]}"
                .formatted(SESSION)),
        422,
        "options must be different from each other");
    isProblem(
        send(
            "/send/location",
            "{\"session_id\":\"%s\",\"chat_id\":\"4915123456789\",\"latitude\":91,\"longitude\":13.4}"
                .formatted(SESSION)),
        422,
        "latitude must be less than or equal to 90");
    verifyNoInteractions(sender);
  }

  @Test
  void anUnknownMessageIsA404() throws Exception {
    UUID unknown = UUID.randomUUID();
    when(actions.get(TENANT, unknown)).thenThrow(ApiException.notFound("Message", unknown));

    isProblem(
        mvc.perform(get("/api/v2/messages/{id}", unknown).header("X-API-Key", READER_KEY)),
        404,
        "Message '%s' not found".formatted(unknown));
  }

  @Test
  void illegalMovesAreA409() throws Exception {
    Message notSent = MessagesAwaitingApproval.message(TENANT, SESSION, null);
    when(actions.get(TENANT, notSent.id())).thenReturn(notSent);
    isProblem(
        send("/send/reaction", "{\"message_id\":\"%s\",\"emoji\":\"👍\"}".formatted(notSent.id())),
        409,
        "Message '%s' has not reached WhatsApp yet".formatted(notSent.id()));

    when(actions.edit(TENANT, notSent.id(), "fixed"))
        .thenThrow(new IllegalTransitionException("Message can be edited for 15 minutes"));
    isProblem(
        mvc.perform(
            patch("/api/v2/messages/{id}", notSent.id())
                .header("X-API-Key", SENDER_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"message\":\"fixed\"}")),
        409,
        "Message can be edited for 15 minutes");
  }

  @Test
  void sendingNeedsAKeyWithMessagesSend() throws Exception {
    isProblem(
            mvc.perform(
                post("/api/v2/messages/send")
                    .header("X-API-Key", READER_KEY)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(text("4915123456789", "hi"))),
            403,
            "This API key lacks the scope(s) messages:send needed for this operation")
        .andExpect(header().string("X-Required-Scopes", "messages:send"));
    isProblem(
        mvc.perform(
            post("/api/v2/messages/send")
                .contentType(MediaType.APPLICATION_JSON)
                .content(text("4915123456789", "hi"))),
        401,
        "An API key is required: send it in the X-API-Key header");
    verifyNoInteractions(sender);
  }
}
