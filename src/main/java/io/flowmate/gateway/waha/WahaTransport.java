package io.flowmate.gateway.waha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowmate.core.ChatId;
import io.flowmate.core.LogSafe;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.spi.AccountHealth;
import io.flowmate.gateway.spi.Capabilities;
import io.flowmate.gateway.spi.GroupMember;
import io.flowmate.gateway.spi.GroupSummary;
import io.flowmate.gateway.spi.NumberCheck;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.OutboundMessage.MediaKind;
import io.flowmate.gateway.spi.OutboundMessage.MediaSource;
import io.flowmate.gateway.spi.SendOptions;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SentLookup;
import io.flowmate.gateway.spi.SessionProbe;
import io.flowmate.gateway.spi.SessionRef;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.SessionState;
import io.flowmate.gateway.spi.TransportEventSink;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.TransportKind;
import io.flowmate.gateway.spi.TransportLabel;
import io.flowmate.gateway.spi.WaIdentity;
import io.flowmate.gateway.spi.WhatsAppTransport;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * WhatsApp through a WAHA server (WhatsApp HTTP API, ideally the GOWS engine): every SPI call is
 * one or two WAHA REST calls, and what happens on WhatsApp comes back as signed webhooks ({@link
 * WahaWebhookController}), which reach the gateway through the sink given to {@link #subscribe}.
 *
 * <p>Each Flowmate session is the WAHA session {@code fm_<uuid without dashes>}, created on first
 * open with a webhook to Flowmate (signed with the configured secret) and the session id in its
 * metadata, which WAHA echoes in every event.
 *
 * <p>WAHA keeps no record of idempotency keys, so {@link #findSent} recognises a message by what it
 * says instead: among the messages this number wrote in the chat since the send attempt began (less
 * 30 s for clock skew), a text by its body, media with a caption by the caption, a location by its
 * coordinates, contact cards by each card's name and number in the vCards; media without a caption
 * (voice notes, stickers) as a message with media and no text, a poll as one with its name or
 * without any content WAHA reads ({@link SentMessageMatcher}). Flowmate's duplicate guard refuses
 * the same text to the same chat within 24 h (by default), so a text or caption found there is this
 * message. A reaction is never found: it is not a message of the chat, and setting it again is
 * harmless. When WAHA cannot answer, {@link #findSent} throws, so that nothing is sent on a guess.
 */
@Component
@ConditionalOnProperty(name = "flowmate.gateway.transport", havingValue = "waha")
class WahaTransport implements WhatsAppTransport {

  private static final Logger log = LoggerFactory.getLogger(WahaTransport.class);

  /** Echoed by WAHA in every webhook, so events find their session whatever its name. */
  static final String SESSION_ID_METADATA = "flowmate.session_id";

  private static final String OPUS = "audio/ogg; codecs=opus";

  /** How much earlier than Flowmate's clock WhatsApp may date a message (their clocks differ). */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /**
   * Messages read per lookup: far more than the pacer lets a number send to one chat between a
   * claim and its recovery.
   */
  static final int LOOKUP_LIMIT = 50;

  private final WahaClient waha;
  private final GatewaySettings.Waha settings;
  private final Clock clock;
  private final ObjectMapper json = JsonMapper.builder().build();
  private volatile TransportEventSink sink = event -> {};

  WahaTransport(GatewaySettings settings, RestClient.Builder restClients, Clock clock) {
    this.settings = settings.waha();
    this.clock = clock;
    this.waha = new WahaClient(this.settings, restClients, json);
    if (blank(this.settings.webhookSecret())) {
      log.warn(
          "flowmate.gateway.waha.webhook-secret is not set: WAHA sessions get no HMAC key and every"
              + " webhook is refused, so Flowmate will not see any WhatsApp event");
    }
  }

  @Override
  public TransportKind kind() {
    return TransportKind.WAHA;
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(true, true, true, true, true, true, true);
  }

  @Override
  public void subscribe(TransportEventSink sink) {
    this.sink = sink;
  }

  /** Hands a normalised event (from a webhook or from a call's answer) to the gateway. */
  void publish(TransportEvent event) {
    sink.accept(event);
  }

  // --- session lifecycle ------------------------------------------------------------------------

  /**
   * Creates the WAHA session with Flowmate's webhook if it does not exist, starts a stopped one
   * (with its webhook configuration brought up to date), restarts a failed one. A session already
   * running sends no new status webhook, so its current status is reported from here.
   */
  @Override
  public void open(SessionRef session) {
    String name = session.transportName();
    Optional<JsonNode> existing = waha.find(waha.uri("api", "sessions", name));
    if (existing.isEmpty()) {
      ObjectNode body = json.createObjectNode();
      body.put("name", name);
      body.put("start", true);
      body.set("config", config(session));
      waha.post(waha.uri("api", "sessions"), body);
      return;
    }
    String status = existing.get().path("status").asText("");
    switch (status) {
      case "STOPPED" -> {
        ObjectNode update = json.createObjectNode();
        update.set("config", config(session));
        waha.put(waha.uri("api", "sessions", name), update);
        waha.post(waha.uri("api", "sessions", name, "start"), null);
      }
      case "FAILED" -> waha.post(waha.uri("api", "sessions", name, "restart"), null);
      default ->
          WahaEvents.sessionState(
                  session.sessionId(),
                  status,
                  existing.get().path("data"),
                  existing.get().path("me"),
                  clock.instant())
              .ifPresent(this::publish);
    }
  }

  /**
   * {@code SessionConfig}: Flowmate's webhook (when its URL is set) and the session id as metadata.
   */
  private ObjectNode config(SessionRef session) {
    ObjectNode config = json.createObjectNode();
    if (!blank(settings.webhookUrl())) {
      ObjectNode webhook = config.putArray("webhooks").addObject();
      webhook.put("url", settings.webhookUrl());
      ArrayNode events = webhook.putArray("events");
      WahaEvents.SUBSCRIBED.forEach(events::add);
      if (!blank(settings.webhookSecret())) {
        webhook.putObject("hmac").put("key", settings.webhookSecret());
      }
      // Retries re-send the same event id while Flowmate restarts; duplicates are dropped there.
      webhook
          .putObject("retries")
          .put("policy", "exponential")
          .put("delaySeconds", 2)
          .put("attempts", 8);
    }
    config.putObject("metadata").put(SESSION_ID_METADATA, session.sessionId().toString());
    return config;
  }

  @Override
  public void close(SessionRef session) {
    ignoreMissing(
        () -> waha.post(waha.uri("api", "sessions", session.transportName(), "stop"), null));
    stopped(session);
  }

  @Override
  public void logout(SessionRef session) {
    ignoreMissing(
        () -> waha.post(waha.uri("api", "sessions", session.transportName(), "logout"), null));
    stopped(session);
  }

  @Override
  public void delete(SessionRef session) {
    ignoreMissing(() -> waha.delete(waha.uri("api", "sessions", session.transportName())));
  }

  /**
   * {@code POST /api/sessions/{name}/restart}: WAHA reconnects the session with its credentials and
   * reports STARTING and WORKING by webhook. Its answer is not reported as a state: it races those
   * webhooks and could overwrite WORKING with an older STARTING. A session WAHA lost (its storage
   * was wiped) is created again, which shows a QR code if the pairing is gone too.
   */
  @Override
  public void restart(SessionRef session) {
    try {
      waha.post(waha.uri("api", "sessions", session.transportName(), "restart"), null);
    } catch (WahaClient.NotFound e) {
      open(session);
    }
  }

  /**
   * {@code GET /api/sessions/{name}}: connected when WAHA says WORKING. This finds a session WAHA
   * lost, one it failed or stopped without a webhook reaching Flowmate, and a WAHA that does not
   * answer; a session WAHA itself believes WORKING while WhatsApp sends nothing (the zombie) only
   * the watchdog's silence check finds.
   */
  @Override
  public SessionProbe probe(SessionRef session) {
    try {
      Optional<JsonNode> found = waha.find(waha.uri("api", "sessions", session.transportName()));
      if (found.isEmpty()) {
        return SessionProbe.failed("WAHA does not know the session");
      }
      String status = found.get().path("status").asText("");
      if ("WORKING".equals(status)) {
        return SessionProbe.ok();
      }
      return SessionProbe.failed(
          status.isEmpty()
              ? "WAHA reports no status for the session"
              : "WAHA reports the session as " + LogSafe.text(status));
    } catch (TransportException e) {
      // The message names WAHA's address: it goes to the log, the reason stays generic.
      log.warn("Probe of session {} failed: {}", session.sessionId(), e.getMessage());
      return SessionProbe.failed("WAHA did not answer the status request");
    }
  }

  /**
   * WAHA reports STOPPED by webhook too; saying it here keeps the state right if that one is lost.
   */
  private void stopped(SessionRef session) {
    publish(
        new TransportEvent.SessionStateChanged(
            session.sessionId(), SessionState.STOPPED, null, null, null, null, clock.instant()));
  }

  @Override
  public String qrCode(SessionRef session) {
    JsonNode qr =
        waha.get(
            waha.uri(new String[] {"api", session.transportName(), "auth", "qr"}, "format", "raw"));
    String value = WahaEvents.text(qr, "value");
    if (value == null) {
      throw new TransportException("WAHA returned no QR code for " + session.transportName(), true);
    }
    return value;
  }

  @Override
  public String requestPairingCode(SessionRef session, String phoneNumber) {
    ObjectNode body =
        json.createObjectNode().put("phoneNumber", phoneNumber.replaceAll("[^0-9]", ""));
    JsonNode answer =
        waha.post(waha.uri("api", session.transportName(), "auth", "request-code"), body);
    String code = WahaEvents.text(answer, "code");
    if (code == null) {
      throw new TransportException(
          "WAHA returned no pairing code for " + session.transportName(), true);
    }
    return code;
  }

  @Override
  public Optional<AccountHealth> health(SessionRef session) {
    return waha.find(waha.uri("api", "sessions", session.transportName(), "me"))
        .flatMap(me -> WahaEvents.health(me, clock.instant()));
  }

  // --- messages ---------------------------------------------------------------------------------

  @Override
  public SendReceipt send(
      SessionRef session, ChatId to, OutboundMessage message, SendOptions options) {
    ObjectNode body = json.createObjectNode();
    body.put("session", session.transportName());
    String endpoint;
    switch (message) {
      case OutboundMessage.Text text -> {
        endpoint = "sendText";
        body.put("chatId", to.value());
        body.put("text", text.body());
        if (text.mentions() != null && !text.mentions().isEmpty()) {
          ArrayNode mentions = body.putArray("mentions");
          text.mentions().forEach(m -> mentions.add("all".equals(m) ? m : Jids.toWahaJid(m)));
        }
        body.put("linkPreview", text.linkPreview());
      }
      case OutboundMessage.Media media -> endpoint = media(body, to, media);
      case OutboundMessage.Poll poll -> {
        endpoint = "sendPoll";
        body.put("chatId", to.value());
        ObjectNode wire = body.putObject("poll");
        wire.put("name", poll.name());
        ArrayNode choices = wire.putArray("options");
        poll.options().forEach(choices::add);
        wire.put("multipleAnswers", poll.multipleAnswers());
      }
      case OutboundMessage.Location location -> {
        endpoint = "sendLocation";
        body.put("chatId", to.value());
        body.put("latitude", location.latitude());
        body.put("longitude", location.longitude());
        // WAHA's location has one caption, the title; an address alone takes its place.
        String title = !blank(location.title()) ? location.title() : location.address();
        if (title != null) {
          body.put("title", title);
        }
      }
      case OutboundMessage.ContactCards cards -> {
        endpoint = "sendContactVcard";
        body.put("chatId", to.value());
        ArrayNode contacts = body.putArray("contacts");
        cards.contacts().forEach(card -> contacts.add(contact(card)));
      }
      case OutboundMessage.Reaction reaction -> {
        ObjectNode wire = json.createObjectNode();
        wire.put("session", session.transportName());
        wire.put("messageId", reaction.targetProviderMessageId());
        wire.put("reaction", reaction.emoji() == null ? "" : reaction.emoji());
        JsonNode answer = waha.put(waha.uri("api", "reaction"), wire);
        // A reaction gets no message id of its own that acks would refer to.
        String id = WahaEvents.messageId(answer.path("id"));
        String receipt =
            id != null
                ? id
                : "reaction:" + reaction.targetProviderMessageId() + ":" + options.idempotencyKey();
        return new SendReceipt(receipt, clock.instant());
      }
    }
    if (options.replyTo() != null) {
      body.put("reply_to", options.replyTo());
    }
    JsonNode answer = waha.post(waha.uri("api", endpoint), body);
    return new SendReceipt(providerMessageId(answer, to, options), clock.instant());
  }

  /**
   * Images, videos and documents by their endpoints; voice notes through {@code sendVoice}
   * (converted to Opus unless they are already); other audio as a document, because WAHA has no
   * plain audio send; stickers through {@code sendSticker} (a 512×512 WebP, sent as it is); GIFs as
   * a video with the mimetype {@code image/gif}, which WAHA turns into a looping GIF playback
   * (converted to MP4 on the way).
   */
  private String media(ObjectNode body, ChatId to, OutboundMessage.Media media) {
    body.put("chatId", to.value());
    MediaSource source = media.source();
    String mimetype = source.mimetype();
    String endpoint =
        switch (media.kind()) {
          case IMAGE -> "sendImage";
          case DOCUMENT, AUDIO -> "sendFile";
          case VOICE -> "sendVoice";
          case VIDEO, GIF -> "sendVideo";
          case STICKER -> "sendSticker";
        };
    if (media.kind() == MediaKind.STICKER && blank(mimetype)) {
      mimetype = "image/webp";
    } else if (media.kind() == MediaKind.GIF) {
      mimetype = "image/gif";
    } else if (media.kind() == MediaKind.VOICE && blank(mimetype)) {
      mimetype = OPUS;
    }
    ObjectNode file = body.putObject("file");
    if (!blank(mimetype)) {
      file.put("mimetype", mimetype);
    }
    if (!blank(source.filename())) {
      file.put("filename", source.filename());
    }
    if (!blank(source.url())) {
      file.put("url", source.url());
    } else if (!blank(source.base64Data())) {
      file.put("data", source.base64Data());
    } else {
      throw new TransportException("a media message needs a url or base64 data", false);
    }
    String caption = caption(media);
    if (caption != null) {
      body.put("caption", caption);
    }
    switch (media.kind()) {
      case VOICE -> body.put("convert", !mimetype.toLowerCase(Locale.ROOT).contains("opus"));
      case VIDEO -> body.put("asNote", false).put("convert", false);
      case GIF -> body.put("asNote", false).put("convert", true);
      default -> {}
    }
    return endpoint;
  }

  /** The caption WhatsApp shows with the media, or null: voice notes and stickers carry none. */
  static String caption(OutboundMessage.Media media) {
    boolean captioned = media.kind() != MediaKind.VOICE && media.kind() != MediaKind.STICKER;
    return captioned && !blank(media.caption()) ? media.caption() : null;
  }

  /** A full vCard as it is, else WAHA's structured card (phone shown with '+', id as digits). */
  private ObjectNode contact(OutboundMessage.ContactCard card) {
    ObjectNode contact = json.createObjectNode();
    if (!blank(card.vcard())) {
      contact.put("vcard", card.vcard());
      return contact;
    }
    contact.put("fullName", card.fullName());
    if (!blank(card.organization())) {
      contact.put("organization", card.organization());
    }
    if (!blank(card.phoneNumber())) {
      String digits = card.phoneNumber().replaceAll("[^0-9]", "");
      contact.put(
          "phoneNumber", card.phoneNumber().startsWith("+") ? card.phoneNumber() : "+" + digits);
      contact.put("whatsappId", digits);
    }
    return contact;
  }

  /**
   * WAHA's answer to a send differs by engine: GOWS and WEBJS give {@code id} as a string ({@code
   * true_<chat>_<id>}) or as an object with {@code _serialized}; NOWEB gives Baileys' {@code key}
   * ({@code {remoteJid, fromMe, id}}), from which the id acks will carry is built. An empty answer
   * (seen with some WEBJS versions) still means WhatsApp took the message, so it is not an error;
   * its acks just cannot be matched.
   */
  private String providerMessageId(JsonNode answer, ChatId to, SendOptions options) {
    String id = WahaEvents.messageId(answer.path("id"));
    if (id == null && answer.isTextual()) {
      id = answer.asText();
    }
    JsonNode key = answer.path("key");
    if (id == null && key.path("id").isTextual()) {
      String chat =
          key.path("remoteJid").isTextual()
              ? WahaEvents.toCus(key.path("remoteJid").asText())
              : to.value();
      id = key.path("fromMe").asBoolean(true) + "_" + chat + "_" + key.path("id").asText();
    }
    if (id == null) {
      log.warn(
          "WAHA accepted message {} but returned no id; its acks cannot be matched",
          LogSafe.text(options.idempotencyKey()));
      return "unknown:" + options.idempotencyKey();
    }
    return id;
  }

  /**
   * Reads the chat's messages from this number since the claim (less {@link #CLOCK_SKEW}), newest
   * first, and takes the oldest one that {@link SentMessageMatcher} recognises as the message.
   */
  @Override
  public Optional<SendReceipt> findSent(SessionRef session, SentLookup lookup) {
    if (lookup.message() instanceof OutboundMessage.Reaction) {
      // A reaction is no message of the chat's history; setting the same emoji again changes
      // nothing.
      return Optional.empty();
    }
    Instant since = Instant.ofEpochSecond(lookup.notBefore().minus(CLOCK_SKEW).getEpochSecond());
    Optional<JsonNode> answer =
        waha.find(
            waha.uri(
                new String[] {
                  "api", session.transportName(), "chats", lookup.chat().value(), "messages"
                },
                "limit",
                String.valueOf(LOOKUP_LIMIT),
                "downloadMedia",
                "false",
                "filter.fromMe",
                "true",
                "filter.timestamp.gte",
                String.valueOf(since.getEpochSecond())));
    if (answer.isEmpty()) {
      return Optional.empty(); // WAHA knows no such chat, so nothing went to it
    }
    if (!answer.get().isArray()) {
      throw new TransportException(
          "WAHA answered the message list of " + lookup.chat() + " with something else than a list",
          false);
    }
    List<JsonNode> listed = new ArrayList<>();
    answer.get().forEach(listed::add);
    Optional<JsonNode> found =
        listed.stream()
            // Checked here too, in case an engine ignores a filter.
            .filter(message -> message.path("fromMe").asBoolean(false))
            .filter(message -> sentAt(message).filter(at -> !at.isBefore(since)).isPresent())
            .filter(message -> SentMessageMatcher.matches(lookup.message(), message))
            .min(Comparator.comparing(message -> sentAt(message).orElseThrow()));
    if (found.isEmpty() && listed.size() >= LOOKUP_LIMIT) {
      throw new TransportException(
          "WAHA lists %d or more messages from this number in %s since %s, so it cannot tell"
                  .formatted(LOOKUP_LIMIT, lookup.chat(), lookup.notBefore())
              + " whether this one is among them",
          false);
    }
    return found.map(message -> receipt(message, lookup));
  }

  private SendReceipt receipt(JsonNode message, SentLookup lookup) {
    String id = WahaEvents.messageId(message.path("id"));
    if (id == null) {
      log.warn(
          "WAHA lists message {} without an id; its acks cannot be matched",
          LogSafe.text(lookup.idempotencyKey()));
      id = "unknown:" + lookup.idempotencyKey();
    }
    return new SendReceipt(id, sentAt(message).orElseThrow());
  }

  private static Optional<Instant> sentAt(JsonNode message) {
    return WahaEvents.instant(message.path("timestamp"));
  }

  @Override
  public void edit(SessionRef session, ChatId chat, String providerMessageId, String text) {
    waha.put(
        waha.uri(
            "api", session.transportName(), "chats", chat.value(), "messages", providerMessageId),
        json.createObjectNode().put("text", text));
  }

  @Override
  public void revoke(SessionRef session, ChatId chat, String providerMessageId) {
    waha.delete(
        waha.uri(
            "api", session.transportName(), "chats", chat.value(), "messages", providerMessageId));
  }

  @Override
  public void markRead(SessionRef session, ChatId chat, List<String> providerMessageIds) {
    ObjectNode body = json.createObjectNode();
    body.put("session", session.transportName());
    body.put("chatId", chat.value());
    if (providerMessageIds != null && !providerMessageIds.isEmpty()) {
      ArrayNode ids = body.putArray("messageIds");
      providerMessageIds.forEach(ids::add);
    }
    waha.post(waha.uri("api", "sendSeen"), body);
  }

  @Override
  public void typing(SessionRef session, ChatId chat, boolean typing) {
    ObjectNode body = json.createObjectNode();
    body.put("session", session.transportName());
    body.put("chatId", chat.value());
    waha.post(waha.uri("api", typing ? "startTyping" : "stopTyping"), body);
  }

  // --- directory --------------------------------------------------------------------------------

  @Override
  public NumberCheck checkNumber(SessionRef session, String e164Digits) {
    String digits = e164Digits.replaceAll("[^0-9]", "");
    JsonNode answer =
        waha.get(
            waha.uri(
                new String[] {"api", "contacts", "check-exists"},
                "phone",
                digits,
                "session",
                session.transportName()));
    boolean exists = answer.path("numberExists").asBoolean(false);
    ChatId chat =
        exists
            ? Jids.chat(WahaEvents.text(answer, "chatId")).orElseGet(() -> ChatId.parse(digits))
            : null;
    return new NumberCheck(digits, exists, chat);
  }

  /** A LID's phone number ({@code /lids/{lid}}) or a number's LID ({@code /lids/pn/{number}}). */
  @Override
  public Optional<WaIdentity> resolve(SessionRef session, ChatId address) {
    Optional<JsonNode> answer =
        switch (address.kind()) {
          case LID -> waha.find(waha.uri("api", session.transportName(), "lids", address.value()));
          case CONTACT ->
              waha.find(waha.uri("api", session.transportName(), "lids", "pn", address.value()));
          case GROUP -> Optional.empty();
        };
    return answer
        .map(mapping ->
            Jids.identity(WahaEvents.text(mapping, "lid"), WahaEvents.text(mapping, "pn"), null))
        .filter(identity -> identity.lid() != null && identity.phoneNumber() != null);
  }

  /** Groups come as an array or as an object keyed by group id, and with engine-specific fields. */
  @Override
  public List<GroupSummary> groups(SessionRef session) {
    JsonNode answer = waha.get(waha.uri("api", session.transportName(), "groups"));
    List<Map.Entry<String, JsonNode>> items = new ArrayList<>();
    if (answer.isObject()) {
      answer.fields().forEachRemaining(items::add);
    } else {
      answer.forEach(group -> items.add(new AbstractMap.SimpleEntry<>(null, group)));
    }
    List<GroupSummary> groups = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : items) {
      JsonNode group = item.getValue();
      String id =
          firstNonNull(
              WahaEvents.messageId(group.path("id")), WahaEvents.text(group, "JID"), item.getKey());
      Optional<ChatId> chat = Jids.chat(id);
      if (chat.isEmpty() || chat.get().kind() != ChatId.Kind.GROUP) {
        continue;
      }
      JsonNode participants =
          group.has("participants") ? group.path("participants") : group.path("Participants");
      int count = participants.isArray() ? participants.size() : group.path("size").asInt(0);
      String subject =
          firstNonNull(
              WahaEvents.text(group, "subject"),
              WahaEvents.text(group, "name"),
              WahaEvents.text(group, "Name"));
      String description =
          firstNonNull(
              WahaEvents.text(group, "description"),
              WahaEvents.text(group, "desc"),
              WahaEvents.text(group, "Topic"));
      groups.add(new GroupSummary(chat.get(), subject, description, count));
    }
    return groups;
  }

  /** Current members from {@code participants/v2}; people who left are not members. */
  @Override
  public List<GroupMember> members(SessionRef session, ChatId group) {
    JsonNode answer =
        waha.get(
            waha.uri(
                "api", session.transportName(), "groups", group.value(), "participants", "v2"));
    List<GroupMember> members = new ArrayList<>();
    for (JsonNode participant : answer) {
      GroupMember member = WahaEvents.member(participant);
      if (!member.identity().isEmpty() && !"left".equals(member.role())) {
        members.add(member);
      }
    }
    return members;
  }

  // --- WhatsApp Business labels -----------------------------------------------------------------

  @Override
  public List<TransportLabel> labels(SessionRef session) {
    List<TransportLabel> labels = new ArrayList<>();
    waha.get(waha.uri("api", session.transportName(), "labels"))
        .forEach(label -> WahaEvents.label(label).ifPresent(labels::add));
    return labels;
  }

  @Override
  public TransportLabel saveLabel(SessionRef session, TransportLabel label) {
    ObjectNode body = json.createObjectNode().put("name", label.name());
    if (!blank(label.colorHex())) {
      body.put("colorHex", label.colorHex());
    }
    JsonNode answer =
        label.id() == null
            ? waha.post(waha.uri("api", session.transportName(), "labels"), body)
            : waha.put(waha.uri("api", session.transportName(), "labels", label.id()), body);
    TransportLabel saved = WahaEvents.label(answer).orElse(null);
    if (saved == null) {
      if (label.id() == null) {
        throw new TransportException("WAHA created the label but returned no id", false);
      }
      return label;
    }
    return new TransportLabel(
        saved.id(),
        saved.name() != null ? saved.name() : label.name(),
        saved.colorHex() != null ? saved.colorHex() : label.colorHex());
  }

  @Override
  public void deleteLabel(SessionRef session, String labelId) {
    ignoreMissing(() -> waha.delete(waha.uri("api", session.transportName(), "labels", labelId)));
  }

  @Override
  public void setChatLabels(SessionRef session, ChatId chat, List<String> labelIds) {
    ObjectNode body = json.createObjectNode();
    ArrayNode labels = body.putArray("labels");
    labelIds.forEach(id -> labels.addObject().put("id", id));
    waha.put(waha.uri("api", session.transportName(), "labels", "chats", chat.value()), body);
  }

  // --- media ------------------------------------------------------------------------------------

  /**
   * WAHA's files ({@code /api/files/...}) are fetched from the configured base URL with the API
   * key, whatever host WAHA wrote into the link (its own idea of its public URL); links elsewhere
   * (S3) are fetched without the key, which must never leave for another host.
   */
  @Override
  public InputStream download(SessionRef session, String mediaUrl) {
    URI url;
    try {
      url = URI.create(mediaUrl);
    } catch (IllegalArgumentException e) {
      throw new TransportException("not a media URL: " + mediaUrl, false, e);
    }
    boolean wahaFile = url.getRawPath() != null && url.getRawPath().startsWith("/api/files/");
    if (wahaFile || url.getScheme() == null) {
      return new ByteArrayInputStream(waha.bytes(waha.onBase(url), true));
    }
    if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
      throw new TransportException("not an http(s) media URL: " + mediaUrl, false);
    }
    return new ByteArrayInputStream(waha.bytes(url, waha.isWahaUrl(url)));
  }

  // --- internals --------------------------------------------------------------------------------

  /** Stopping, logging out or deleting what WAHA does not know is already done. */
  private static void ignoreMissing(Runnable call) {
    try {
      call.run();
    } catch (WahaClient.NotFound e) {
      log.debug("{}", LogSafe.text(e.getMessage()));
    }
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
