package io.flowmate.messaging.outbox;

import io.flowmate.core.ChatId;
import io.flowmate.core.InvalidValueException;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.net.OutboundUrls;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.core.sse.LiveEvents;
import io.flowmate.messaging.chats.MessageViews;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Sending every kind of WhatsApp message (MoltFlow paths where it documents them), what can be done
 * to a message afterwards, and the live stream of delivery updates.
 */
@RestController
@RequestMapping("/api/v2/messages")
@Tag(name = "Messages", description = "Send every kind of WhatsApp message and follow its delivery")
class MessageController {

  private static final String IDEMPOTENCY =
      "Makes retries safe: at most one message per key and tenant";

  private final SendMessageService sender;
  private final MessageActions actions;
  private final MessageViews views;
  private final LiveEvents live;
  private final OutboundUrls urls;

  MessageController(
      SendMessageService sender,
      MessageActions actions,
      MessageViews views,
      LiveEvents live,
      OutboundUrls urls) {
    this.sender = sender;
    this.actions = actions;
    this.views = views;
    this.live = live;
    this.urls = urls;
  }

  record SendTextRequest(
      @NotNull UUID sessionId,
      @NotBlank String chatId,
      @NotBlank String message,
      String replyTo,
      List<@NotBlank String> mentions,
      Boolean linkPreview) {}

  /**
   * Media by {@code media_url} (a public http(s) URL that Flowmate downloads when it sends the
   * message) or {@code media_base64} with {@code mimetype}.
   */
  record SendMediaRequest(
      @NotNull UUID sessionId,
      @NotBlank String chatId,
      @Pattern(
              regexp = "image|video|document|audio|voice",
              message = "must be image, video, document, audio or voice")
          String mediaType,
      String mediaUrl,
      String mediaBase64,
      @Size(max = 255) String mimetype,
      @Size(max = 255) String filename,
      @Size(max = 1024) String caption,
      String replyTo) {}

  record SendPollRequest(
      @NotNull UUID sessionId,
      @NotBlank String chatId,
      @NotBlank @Size(max = 255) String title,
      @NotNull @Size(min = 2, max = 12) List<@NotBlank @Size(max = 100) String> options,
      Boolean allowMultiple) {}

  record SendLocationRequest(
      @NotNull UUID sessionId,
      @NotBlank String chatId,
      @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
      @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude,
      @Size(max = 255) String title,
      @Size(max = 500) String address) {}

  record ContactCardRequest(
      @Size(max = 255) String fullName,
      String phoneNumber,
      @Size(max = 255) String organization,
      @Size(max = 10_000) String vcard) {}

  record SendContactRequest(
      @NotNull UUID sessionId,
      @NotBlank String chatId,
      @NotNull @Size(min = 1, max = 10) List<@Valid @NotNull ContactCardRequest> contacts) {}

  /** React to a message (ours or received) by its Flowmate id; an empty emoji removes it. */
  record SendReactionRequest(@NotNull UUID messageId, @NotNull @Size(max = 16) String emoji) {}

  record EditRequest(@NotBlank String message) {}

  record TypingRequest(@NotNull UUID sessionId, @NotBlank String chatId, Boolean typing) {}

  @PostMapping("/send")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(
      summary = "Send a text",
      description =
          "201 with the stored message: status queued (or pending when the tenant requires"
              + " approval; approval_id names the approval). The send governor paces it. A retry"
              + " with the same Idempotency-Key returns the first message (200,"
              + " Idempotent-Replayed: true) and sends nothing again. 403 when a policy forbids the"
              + " recipient (allowed_numbers, opt-out, reciprocity), 409 for the same text twice"
              + " within 24 h.")
  ResponseEntity<MessageViews.MessageView> send(
      Caller caller,
      @Valid @RequestBody SendTextRequest request,
      @Parameter(description = IDEMPOTENCY)
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key) {
    String text = SendMessageService.validText("message", request.message());
    Map<String, Object> payload = new LinkedHashMap<>();
    if (request.mentions() != null && !request.mentions().isEmpty()) {
      payload.put(
          "mentions", request.mentions().stream().map(m -> ChatId.parse(m).value()).toList());
    }
    if (Boolean.FALSE.equals(request.linkPreview())) {
      payload.put("link_preview", false);
    }
    return accepted(
        caller,
        request.sessionId(),
        request.chatId(),
        new Message.Content(MessageType.TEXT, text, payload, null, blankToNull(request.replyTo())),
        null,
        key);
  }

  @PostMapping("/send/media")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(
      summary = "Send an image, video, document, audio file or voice note (URL or base64)",
      description =
          "media_url must be a public http(s) URL: loopback, private, link-local (cloud metadata) and other"
              + " internal addresses are refused with 422. Flowmate downloads it when it sends the message"
              + " (redirects are not followed; size and time are capped; the Content-Type must fit media_type);"
              + " a download that fails fails the message with the reason.")
  ResponseEntity<MessageViews.MessageView> sendMedia(
      Caller caller,
      @Valid @RequestBody SendMediaRequest request,
      @Parameter(description = IDEMPOTENCY)
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key) {
    if (request.mediaType() == null) {
      throw ApiException.invalid("media_type is required: image, video, document, audio or voice");
    }
    return media(caller, request, MessageType.of(request.mediaType()), key);
  }

  @PostMapping("/send/sticker")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Send a sticker (WebP, by URL or base64)")
  ResponseEntity<MessageViews.MessageView> sendSticker(
      Caller caller,
      @Valid @RequestBody SendMediaRequest request,
      @Parameter(description = IDEMPOTENCY)
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key) {
    return media(caller, request, MessageType.STICKER, key);
  }

  @PostMapping("/send/gif")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Send a GIF (an MP4 video shown as GIF, by URL or base64)")
  ResponseEntity<MessageViews.MessageView> sendGif(
      Caller caller,
      @Valid @RequestBody SendMediaRequest request,
      @Parameter(description = IDEMPOTENCY)
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key) {
    return media(caller, request, MessageType.GIF, key);
  }

  @PostMapping("/send/poll")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Send a poll with 2 to 12 options")
  ResponseEntity<MessageViews.MessageView> sendPoll(
      Caller caller,
      @Valid @RequestBody SendPollRequest request,
      @Parameter(description = IDEMPOTENCY)
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key) {
    List<String> options = request.options().stream().map(String::strip).toList();
    if (new LinkedHashSet<>(options).size() != options.size()) {
      throw ApiException.invalid("options must be different from each other");
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", request.title().strip());
    payload.put("options", options);
    payload.put("multiple_answers", Boolean.TRUE.equals(request.allowMultiple()));
    return accepted(
        caller,
        request.sessionId(),
        request.chatId(),
        new Message.Content(MessageType.POLL, request.title().strip(), payload, null, null),
        null,
        key);
  }

  @PostMapping("/send/location")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Send a location pin")
  ResponseEntity<MessageViews.MessageView> sendLocation(
      Caller caller,
      @Valid @RequestBody SendLocationRequest request,
      @Parameter(description = IDEMPOTENCY)
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("latitude", request.latitude());
    payload.put("longitude", request.longitude());
    payload.put("title", request.title());
    payload.put("address", request.address());
    String body =
        request.title() != null ? request.title() : request.latitude() + "," + request.longitude();
    return accepted(
        caller,
        request.sessionId(),
        request.chatId(),
        new Message.Content(MessageType.LOCATION, body, payload, null, null),
        null,
        key);
  }

  @PostMapping("/send/contact")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Send one or more contact cards (name and phone number, or a full vCard)")
  ResponseEntity<MessageViews.MessageView> sendContact(
      Caller caller,
      @Valid @RequestBody SendContactRequest request,
      @Parameter(description = IDEMPOTENCY)
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key) {
    List<Map<String, Object>> contacts =
        request.contacts().stream()
            .map(card -> {
              Map<String, Object> c = new LinkedHashMap<>();
              if (card.vcard() != null && !card.vcard().isBlank()) {
                if (!card.vcard().strip().startsWith("BEGIN:VCARD")) {
                  throw ApiException.invalid("vcard must start with BEGIN:VCARD");
                }
                c.put("vcard", card.vcard().strip());
                c.put("full_name", card.fullName());
                return c;
              }
              if (card.fullName() == null
                  || card.fullName().isBlank()
                  || card.phoneNumber() == null) {
                throw ApiException.invalid(
                    "each contact needs full_name and phone_number, or a vcard");
              }
              c.put("full_name", card.fullName().strip());
              c.put(
                  "phone_number",
                  ChatId.parse(card.phoneNumber())
                      .phoneNumber()
                      .orElseThrow(
                          () -> new InvalidValueException("phone_number must be a phone number")));
              c.put("organization", card.organization());
              return c;
            })
            .toList();
    String body =
        contacts.stream()
            .map(c -> String.valueOf(c.get("full_name")))
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    return accepted(
        caller,
        request.sessionId(),
        request.chatId(),
        new Message.Content(MessageType.CONTACT, body, Map.of("contacts", contacts), null, null),
        null,
        key);
  }

  @PostMapping("/send/reaction")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "React to a message with an emoji (\"\" removes the reaction)")
  ResponseEntity<MessageViews.MessageView> sendReaction(
      Caller caller,
      @Valid @RequestBody SendReactionRequest request,
      @Parameter(description = IDEMPOTENCY)
          @RequestHeader(name = "Idempotency-Key", required = false)
          String key) {
    Message target = actions.get(caller.tenantId(), request.messageId());
    if (target.waMessageId() == null) {
      throw ApiException.conflict(
          "Message '%s' has not reached WhatsApp yet".formatted(request.messageId()));
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("target_message_id", target.id().toString());
    payload.put("target_wa_message_id", target.waMessageId());
    payload.put("emoji", request.emoji());
    return accepted(
        caller,
        target.sessionId(),
        target.chatId().value(),
        new Message.Content(MessageType.REACTION, request.emoji(), payload, null, null),
        null,
        key);
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.MESSAGES_READ)
  @Operation(
      summary = "One message with its delivery status",
      description =
          "Messages this tenant sent are always readable; received ones need the chat-history"
              + " opt-in (chat_history_access_enabled), as in the reference API.")
  MessageViews.MessageView get(Caller caller, @PathVariable UUID id) {
    Message message = actions.get(caller.tenantId(), id);
    if (!message.isOutbound()) {
      views.requireChatHistory(caller.tenantId());
    }
    return views.view(message);
  }

  @PatchMapping("/{id}")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Edit a sent text (WhatsApp allows it for 15 minutes)")
  MessageViews.MessageView edit(
      Caller caller, @PathVariable UUID id, @Valid @RequestBody EditRequest request) {
    return views.view(
        actions.edit(
            caller.tenantId(), id, SendMessageService.validText("message", request.message())));
  }

  @DeleteMapping("/{id}")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Delete for everyone (unsend); a message not sent yet is cancelled instead")
  MessageViews.MessageView revoke(Caller caller, @PathVariable UUID id) {
    return views.view(actions.revoke(caller.tenantId(), id));
  }

  @PostMapping("/{id}/read")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Mark a received message read (blue ticks)")
  MessageViews.MessageView read(Caller caller, @PathVariable UUID id) {
    views.requireChatHistory(caller.tenantId());
    return views.view(actions.markRead(caller.tenantId(), id));
  }

  @PostMapping("/typing")
  @RequiresScope(Scopes.MESSAGES_SEND)
  @Operation(summary = "Show (typing: true, the default) or hide \"typing…\" in a chat")
  ResponseEntity<Void> typing(Caller caller, @Valid @RequestBody TypingRequest request) {
    actions.typing(
        caller.tenantId(),
        request.sessionId(),
        ChatId.parse(request.chatId()),
        !Boolean.FALSE.equals(request.typing()));
    return ResponseEntity.noContent().build();
  }

  @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @RequiresScope(Scopes.MESSAGES_READ)
  @Operation(
      summary = "Live stream (SSE) of the tenant's message events",
      description =
          "Events message.status ({message_id, status, ...}) and message.received (only with"
              + " chat_history_access_enabled). A client that falls behind gets stream.dropped and"
              + " should reconnect.")
  SseEmitter events(Caller caller) {
    return live.subscribe(
        caller, event -> event.name().startsWith("message."), Duration.ofHours(1));
  }

  private ResponseEntity<MessageViews.MessageView> media(
      Caller caller, SendMediaRequest request, MessageType type, String key) {
    boolean hasUrl = request.mediaUrl() != null && !request.mediaUrl().isBlank();
    boolean hasData = request.mediaBase64() != null && !request.mediaBase64().isBlank();
    if (hasUrl == hasData) {
      throw ApiException.invalid("give exactly one of media_url and media_base64");
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    String mimetype =
        request.mimetype() != null ? request.mimetype().strip() : defaultMimetype(type);
    SendMessageService.InlineMedia inline = null;
    if (hasUrl) {
      // Checked now for a clear 422, and again when the media is downloaded for sending.
      URI url = urls.checkField("media_url", request.mediaUrl());
      payload.put("media_url", url.toString());
    } else {
      if (mimetype == null) {
        throw ApiException.invalid("mimetype is required with media_base64");
      }
      try {
        byte[] bytes =
            Base64.getMimeDecoder().decode(request.mediaBase64().replaceFirst("^data:[^,]*,", ""));
        if (bytes.length == 0) {
          throw ApiException.invalid("media_base64 is empty");
        }
        inline = new SendMessageService.InlineMedia(bytes, mimetype, request.filename());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("media_base64 is not valid base64");
      }
    }
    payload.put("mimetype", mimetype);
    if (request.filename() != null) {
      payload.put("filename", request.filename());
    }
    if (request.caption() != null && !request.caption().isBlank()) {
      payload.put("caption", request.caption());
    }
    String body =
        request.caption() != null && !request.caption().isBlank()
            ? request.caption()
            : "[" + type.value() + "]";
    return accepted(
        caller,
        request.sessionId(),
        request.chatId(),
        new Message.Content(type, body, payload, null, blankToNull(request.replyTo())),
        inline,
        key);
  }

  private ResponseEntity<MessageViews.MessageView> accepted(
      Caller caller,
      UUID sessionId,
      String chatId,
      Message.Content content,
      SendMessageService.InlineMedia inline,
      String key) {
    TenantId tenant = caller.tenantId();
    SendMessageService.Accepted accepted =
        sender.accept(
            tenant,
            new SendMessageService.Draft(sessionId, ChatId.parse(chatId), content, inline),
            key);
    return ResponseEntity.status(accepted.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
        .header("Idempotent-Replayed", Boolean.toString(accepted.replayed()))
        .body(views.view(accepted.message()));
  }

  private static String defaultMimetype(MessageType type) {
    return switch (type) {
      case STICKER -> "image/webp";
      case GIF -> "video/mp4";
      case VOICE -> "audio/ogg; codecs=opus";
      default -> null;
    };
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
