package io.flowmate.gateway.waha;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.spi.AccountHealth;
import io.flowmate.gateway.spi.GroupMember;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.Ack;
import io.flowmate.gateway.spi.TransportEvent.DeliveryError;
import io.flowmate.gateway.spi.TransportEvent.InboundContent;
import io.flowmate.gateway.spi.TransportEvent.SessionState;
import io.flowmate.gateway.spi.TransportLabel;
import io.flowmate.gateway.spi.WaIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns WAHA's webhook events into Flowmate's {@link TransportEvent}s. Engines differ in detail
 * (WAHA says so itself), so every field is read defensively: what is missing becomes null, and an
 * event that cannot be understood becomes no event rather than an error, so that WAHA does not
 * retry it forever.
 *
 * <p>Only what Flowmate acts on is kept. {@code message.any} is taken only for messages typed on
 * the phone ({@code fromMe}, {@code source = app}); messages Flowmate sent through the API are
 * recorded already, and incoming ones arrive as {@code message}.
 */
final class WahaEvents {

  /** Everything Flowmate subscribes to, for the session's webhook configuration. */
  static final List<String> SUBSCRIBED =
      List.of(
          "session.status",
          "message",
          "message.any",
          "message.ack",
          "message.reaction",
          "message.revoked",
          "message.edited",
          "poll.vote",
          "group.v2.join",
          "group.v2.leave",
          "group.v2.update",
          "group.v2.participants",
          "label.upsert",
          "label.deleted",
          "label.chat.added",
          "label.chat.deleted");

  private final Clock clock;

  WahaEvents(Clock clock) {
    this.clock = clock;
  }

  /**
   * The events a webhook envelope ({@code {id, timestamp, session, event, me, payload}}) carries.
   */
  List<TransportEvent> normalise(SessionId sessionId, JsonNode envelope) {
    JsonNode payload = envelope.path("payload");
    Instant at = instant(envelope.path("timestamp")).orElseGet(clock::instant);
    List<TransportEvent> events = new ArrayList<>();
    switch (envelope.path("event").asText("")) {
      case "session.status" ->
          sessionState(
                  sessionId,
                  payload.path("status").asText(null),
                  payload.path("data"),
                  envelope.path("me"),
                  at)
              .ifPresent(events::add);
      case "message" -> {
        if (!payload.path("fromMe").asBoolean(false)) {
          message(sessionId, payload, envelope.path("me"), false, at, events);
        }
      }
      case "message.any" -> {
        if (payload.path("fromMe").asBoolean(false)
            && "app".equals(payload.path("source").asText(""))) {
          message(sessionId, payload, envelope.path("me"), true, at, events);
        }
      }
      case "message.ack" -> ack(sessionId, payload, at).ifPresent(events::add);
      case "message.reaction" -> reaction(sessionId, payload, at, events);
      case "message.revoked" -> revoked(sessionId, payload, at).ifPresent(events::add);
      case "message.edited" -> edited(sessionId, payload, at).ifPresent(events::add);
      case "poll.vote" -> vote(sessionId, payload, at, events);
      case "group.v2.join" -> group(sessionId, payload, true, at).ifPresent(events::add);
      case "group.v2.leave" -> group(sessionId, payload, false, at).ifPresent(events::add);
      case "group.v2.update" -> group(sessionId, payload, true, at).ifPresent(events::add);
      case "group.v2.participants" -> participants(sessionId, payload, at, events);
      case "label.upsert" ->
          label(payload)
              .ifPresent(l -> events.add(new TransportEvent.LabelChanged(sessionId, l, false, at)));
      case "label.deleted" ->
          label(payload)
              .ifPresent(l -> events.add(new TransportEvent.LabelChanged(sessionId, l, true, at)));
      case "label.chat.added" -> chatLabel(sessionId, payload, true, at).ifPresent(events::add);
      case "label.chat.deleted" -> chatLabel(sessionId, payload, false, at).ifPresent(events::add);
      default -> {}
    }
    return events;
  }

  // --- session status ---------------------------------------------------------------------------

  /**
   * WAHA's session status as Flowmate's state. {@code SCAN_QR_CODE} carries no code (Flowmate asks
   * WAHA for it when someone wants to see it); both passkey steps become {@code PASSKEY_REQUIRED}
   * with what the operator needs (the WebAuthn challenge, or the code to compare on the phone).
   * Statuses WAHA may add later are ignored.
   */
  static Optional<TransportEvent> sessionState(
      SessionId sessionId, String status, JsonNode data, JsonNode me, Instant at) {
    if (status == null) {
      return Optional.empty();
    }
    return switch (status.toUpperCase(Locale.ROOT)) {
      case "STARTING" -> state(sessionId, SessionState.STARTING, null, null, null, at);
      case "SCAN_QR_CODE" -> state(sessionId, SessionState.QR_CODE, null, null, null, at);
      case "PASSKEY_REQUIRED", "PASSKEY_CONFIRMATION_REQUIRED" ->
          state(sessionId, SessionState.PASSKEY_REQUIRED, challenge(data), null, null, at);
      case "WORKING" -> state(sessionId, SessionState.WORKING, null, me(me), null, at);
      case "STOPPED" -> state(sessionId, SessionState.STOPPED, null, null, null, at);
      case "FAILED" ->
          state(
              sessionId,
              SessionState.FAILED,
              null,
              null,
              "WAHA reports the session as FAILED (connection lost or logged out on the phone);"
                  + " restart it",
              at);
      default -> Optional.empty();
    };
  }

  private static Optional<TransportEvent> state(
      SessionId sessionId,
      SessionState state,
      String passkey,
      WaIdentity me,
      String reason,
      Instant at) {
    return Optional.of(
        new TransportEvent.SessionStateChanged(sessionId, state, null, passkey, me, reason, at));
  }

  /**
   * The passkey step's data: a challenge (text or JSON) or {@code {code}} to compare on the phone.
   */
  private static String challenge(JsonNode data) {
    if (data == null || data.isMissingNode() || data.isNull()) {
      return null;
    }
    if (data.isTextual()) {
      return data.asText();
    }
    if (data.path("code").isTextual() && data.size() == 1) {
      return data.path("code").asText();
    }
    return data.toString();
  }

  /** WAHA's {@code me} ({@code {id, lid?, pushName}}) as the linked account. */
  static WaIdentity me(JsonNode me) {
    if (me == null || !me.isObject()) {
      return null;
    }
    WaIdentity identity = Jids.identity(text(me, "id"), text(me, "lid"), text(me, "pushName"));
    return identity.isEmpty() ? null : identity;
  }

  /** {@code MeInfo} as account health: identity, reach-out timelock and new-chat capping. */
  static Optional<AccountHealth> health(JsonNode me, Instant now) {
    WaIdentity identity = me(me);
    if (identity == null) {
      return Optional.empty();
    }
    JsonNode lock = me.path("reachoutTimelock");
    Instant lockedUntil = null;
    if (lock.path("isActive").asBoolean(false)) {
      lockedUntil =
          instant(lock.path("timeEnforcementEnds"))
              .filter(until -> until.isAfter(now))
              .orElse(null);
    }
    JsonNode capping = me.path("messageCapping");
    Integer total =
        capping.path("totalQuota").isNumber() ? capping.path("totalQuota").asInt() : null;
    return Optional.of(
        new AccountHealth(
            identity.phoneNumber(),
            identity.lid(),
            identity.pushName(),
            lockedUntil,
            text(capping, "cappingStatus"),
            capping.path("usedQuota").isNumber() ? capping.path("usedQuota").asInt() : null,
            total != null && total < 0 ? null : total));
  }

  // --- messages ---------------------------------------------------------------------------------

  private void message(
      SessionId sessionId,
      JsonNode payload,
      JsonNode me,
      boolean fromMe,
      Instant at,
      List<TransportEvent> events) {
    String id = messageId(payload.path("id"));
    Optional<ChatId> chat = Jids.chat(text(payload, fromMe ? "to" : "from"));
    if (id == null || chat.isEmpty()) {
      return;
    }
    WaIdentity sender;
    if (fromMe) {
      sender = Optional.ofNullable(me(me)).orElse(new WaIdentity(null, null, null));
    } else {
      sender = sender(payload, chat.get());
      if (sender.lid() != null && sender.phoneNumber() != null) {
        events.add(new TransportEvent.IdentityLearned(sessionId, sender, at));
      }
    }
    events.add(
        new TransportEvent.MessageReceived(
            sessionId,
            id,
            chat.get(),
            sender,
            fromMe,
            content(payload),
            blankToNull(messageId(payload.path("replyTo").path("id"))),
            instant(payload.path("timestamp")).orElse(at)));
  }

  /**
   * Who wrote: the chat itself in a direct chat, the {@code participant} in a group (often a LID).
   * The phone number beside a LID is engine data: NOWEB's {@code _data.key.remoteJidAlt} or {@code
   * participantAlt}, GOWS's {@code _data.Info.SenderAlt}.
   */
  private static WaIdentity sender(JsonNode payload, ChatId chat) {
    JsonNode data = payload.path("_data");
    String jid;
    List<String> alternatives = new ArrayList<>();
    if (chat.kind() == ChatId.Kind.GROUP) {
      jid = firstText(payload, "participant", "author");
      alternatives.add(text(data.path("key"), "participantAlt"));
      alternatives.add(text(payload, "participantPn"));
    } else {
      jid = text(payload, "from");
      alternatives.add(text(data.path("key"), "remoteJidAlt"));
      alternatives.add(text(payload, "fromPn"));
    }
    alternatives.add(text(data.path("Info"), "SenderAlt"));
    String pushName =
        firstNonBlank(
            text(data, "pushName"), text(data.path("Info"), "PushName"), text(data, "notifyName"));
    boolean isLid = Jids.lid(jid) != null;
    String alternative =
        alternatives.stream()
            .filter(a -> a != null && (isLid ? Jids.phoneDigits(a) != null : Jids.lid(a) != null))
            .findFirst()
            .orElse(null);
    return Jids.identity(jid, alternative, pushName);
  }

  /** Text, media (type from the mimetype), a location or contact cards. */
  private static InboundContent content(JsonNode payload) {
    String body = text(payload, "body");
    JsonNode location = payload.path("location");
    if (location.isObject() && location.hasNonNull("latitude")) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("latitude", number(location.path("latitude")));
      details.put("longitude", number(location.path("longitude")));
      putIfPresent(details, "name", text(location, "name"));
      putIfPresent(details, "address", text(location, "address"));
      putIfPresent(details, "url", text(location, "url"));
      if (location.path("live").asBoolean(false)) {
        details.put("live", true);
      }
      String caption = firstNonBlank(text(location, "description"), body);
      return new InboundContent("location", caption, null, null, null, details);
    }
    JsonNode vcards = payload.path("vCards");
    if (vcards.isArray() && !vcards.isEmpty()) {
      List<String> cards = new ArrayList<>();
      vcards.forEach(card -> cards.add(card.asText()));
      return new InboundContent("contact", body, null, "text/vcard", null, Map.of("vcards", cards));
    }
    if (payload.path("hasMedia").asBoolean(false)) {
      JsonNode media = payload.path("media");
      String mimetype = text(media, "mimetype");
      String url = firstNonBlank(text(media, "url"), text(payload, "mediaUrl"));
      return new InboundContent(
          mediaType(mimetype), body, url, mimetype, text(media, "filename"), Map.of());
    }
    if (body == null || body.isEmpty()) {
      return new InboundContent("unknown", null, null, null, null, Map.of());
    }
    return InboundContent.text(body);
  }

  private static String mediaType(String mimetype) {
    String type = mimetype == null ? "" : mimetype.toLowerCase(Locale.ROOT);
    if (type.startsWith("image/webp")) {
      return "sticker";
    }
    if (type.startsWith("image/")) {
      return "image";
    }
    if (type.startsWith("video/")) {
      return "video";
    }
    if (type.startsWith("audio/")) {
      return type.contains("opus") ? "voice" : "audio";
    }
    return "document";
  }

  /**
   * SERVER, DEVICE, READ, PLAYED as they are; ERROR, or any ack with an {@code error} (463: the
   * reach-out timelock), as FAILED. PENDING says nothing new.
   */
  private static Optional<TransportEvent> ack(SessionId sessionId, JsonNode payload, Instant at) {
    String id = messageId(payload.path("id"));
    if (id == null) {
      return Optional.empty();
    }
    JsonNode error = payload.path("error");
    if (error.isObject()) {
      DeliveryError failure =
          new DeliveryError(
              text(error, "code"),
              firstNonBlank(
                  text(error, "reason"), text(error, "message"), text(error, "enforcementType")),
              error.path("blocked").asBoolean(false),
              instant(error.path("until")).orElse(null));
      return Optional.of(
          new TransportEvent.DeliveryChanged(sessionId, id, Ack.FAILED, failure, at));
    }
    String name = text(payload, "ackName");
    if (name == null && payload.path("ack").isInt()) {
      name =
          switch (payload.path("ack").asInt()) {
            case -1 -> "ERROR";
            case 1 -> "SERVER";
            case 2 -> "DEVICE";
            case 3 -> "READ";
            case 4 -> "PLAYED";
            default -> "PENDING";
          };
    }
    Ack ack =
        switch (name == null ? "" : name.toUpperCase(Locale.ROOT)) {
          case "SERVER" -> Ack.SERVER;
          case "DEVICE" -> Ack.DEVICE;
          case "READ" -> Ack.READ;
          case "PLAYED" -> Ack.PLAYED;
          case "ERROR" -> Ack.FAILED;
          default -> null;
        };
    return ack == null
        ? Optional.empty()
        : Optional.of(new TransportEvent.DeliveryChanged(sessionId, id, ack, null, at));
  }

  /** A contact's reaction; an empty text removes it. Reactions made on our phone are not kept. */
  private static void reaction(
      SessionId sessionId, JsonNode payload, Instant at, List<TransportEvent> events) {
    if (payload.path("fromMe").asBoolean(false)) {
      return;
    }
    Optional<ChatId> chat = Jids.chat(text(payload, "from"));
    String target = messageId(payload.path("reaction").path("messageId"));
    if (chat.isEmpty() || target == null) {
      return;
    }
    WaIdentity sender = sender(payload, chat.get());
    if (sender.lid() != null && sender.phoneNumber() != null) {
      events.add(new TransportEvent.IdentityLearned(sessionId, sender, at));
    }
    events.add(
        new TransportEvent.ReactionReceived(
            sessionId,
            chat.get(),
            sender,
            target,
            payload.path("reaction").path("text").asText(""),
            instant(payload.path("timestamp")).orElse(at)));
  }

  /**
   * The revoked message: {@code before.id} when WAHA still had it, else {@code revokedMessageId}.
   */
  private static Optional<TransportEvent> revoked(
      SessionId sessionId, JsonNode payload, Instant at) {
    JsonNode message =
        payload.path("before").isObject() ? payload.path("before") : payload.path("after");
    String id =
        firstNonBlank(
            messageId(payload.path("before").path("id")), text(payload, "revokedMessageId"));
    if (id == null) {
      return Optional.empty();
    }
    ChatId chat = chatOf(message).orElse(null);
    return Optional.of(new TransportEvent.MessageRevoked(sessionId, chat, id, at));
  }

  private static Optional<TransportEvent> edited(
      SessionId sessionId, JsonNode payload, Instant at) {
    String id = firstNonBlank(text(payload, "editedMessageId"), messageId(payload.path("id")));
    if (id == null) {
      return Optional.empty();
    }
    return Optional.of(
        new TransportEvent.MessageEdited(
            sessionId, chatOf(payload).orElse(null), id, text(payload, "body"), at));
  }

  /** A vote on a poll: the poll's chat, the voter and the options now chosen. */
  private static void vote(
      SessionId sessionId, JsonNode payload, Instant at, List<TransportEvent> events) {
    JsonNode vote = payload.path("vote");
    JsonNode poll = payload.path("poll");
    String pollId = messageId(poll.path("id"));
    Optional<ChatId> chat = chatOf(poll);
    if (pollId == null || chat.isEmpty()) {
      return;
    }
    WaIdentity voter =
        chat.get().kind() == ChatId.Kind.GROUP
            ? Jids.identity(firstText(vote, "participant", "from"), null, null)
            : Jids.identity(text(vote, "from"), null, null);
    List<String> options = new ArrayList<>();
    vote.path("selectedOptions").forEach(option -> options.add(option.asText()));
    events.add(
        new TransportEvent.PollVoted(
            sessionId,
            chat.get(),
            pollId,
            voter,
            options,
            instant(vote.path("timestamp")).orElse(at)));
  }

  // --- groups and labels ------------------------------------------------------------------------

  private static Optional<TransportEvent> group(
      SessionId sessionId, JsonNode payload, boolean member, Instant at) {
    JsonNode group = payload.path("group");
    String subject = firstNonBlank(text(group, "subject"), text(group, "name"));
    Instant when = instant(payload.path("timestamp")).orElse(at);
    return Jids.chat(groupId(group))
        .map(id -> new TransportEvent.GroupChanged(sessionId, id, subject, member, when));
  }

  private static void participants(
      SessionId sessionId, JsonNode payload, Instant at, List<TransportEvent> events) {
    Optional<ChatId> group = Jids.chat(groupId(payload.path("group")));
    String change = text(payload, "type");
    if (group.isEmpty() || change == null) {
      return;
    }
    Instant when = instant(payload.path("timestamp")).orElse(at);
    List<GroupMember> members = new ArrayList<>();
    for (JsonNode participant : payload.path("participants")) {
      GroupMember member = member(participant);
      if (member.identity().isEmpty()) {
        continue;
      }
      if (member.identity().lid() != null && member.identity().phoneNumber() != null) {
        events.add(new TransportEvent.IdentityLearned(sessionId, member.identity(), when));
      }
      members.add(member);
    }
    events.add(
        new TransportEvent.GroupParticipantsChanged(
            sessionId, group.get(), change.toLowerCase(Locale.ROOT), members, when));
  }

  /**
   * {@code {id, pn?, role}} from {@code /participants/v2} and group events; participant → member.
   */
  static GroupMember member(JsonNode participant) {
    WaIdentity identity = Jids.identity(text(participant, "id"), text(participant, "pn"), null);
    String role = text(participant, "role");
    boolean plain = role == null || "participant".equalsIgnoreCase(role);
    return new GroupMember(identity, plain ? "member" : role.toLowerCase(Locale.ROOT));
  }

  static Optional<TransportLabel> label(JsonNode label) {
    String id = text(label, "id");
    return id == null
        ? Optional.empty()
        : Optional.of(new TransportLabel(id, text(label, "name"), text(label, "colorHex")));
  }

  private static Optional<TransportEvent> chatLabel(
      SessionId sessionId, JsonNode payload, boolean added, Instant at) {
    Optional<ChatId> chat = Jids.chat(text(payload, "chatId"));
    String labelId = firstNonBlank(text(payload, "labelId"), text(payload.path("label"), "id"));
    if (chat.isEmpty() || labelId == null) {
      return Optional.empty();
    }
    return Optional.of(
        new TransportEvent.ChatLabelChanged(sessionId, chat.get(), labelId, added, at));
  }

  // --- reading WAHA's JSON ----------------------------------------------------------------------

  /**
   * A message id however the engine writes it: a string ({@code true_<chat>_<id>}), or an object
   * with {@code _serialized} (WEBJS) or {@code {fromMe, remote, id}}.
   */
  static String messageId(JsonNode id) {
    if (id == null || id.isMissingNode() || id.isNull()) {
      return null;
    }
    if (id.isTextual()) {
      return blankToNull(id.asText());
    }
    if (id.path("_serialized").isTextual()) {
      return blankToNull(id.path("_serialized").asText());
    }
    if (id.path("id").isTextual() && id.hasNonNull("remote")) {
      String remote =
          id.path("remote").isTextual() ? id.path("remote").asText() : messageId(id.path("remote"));
      return id.path("fromMe").asBoolean(false)
          + "_"
          + toCus(remote)
          + "_"
          + id.path("id").asText();
    }
    return id.path("id").isTextual() ? blankToNull(id.path("id").asText()) : null;
  }

  /** {@code <n>@s.whatsapp.net} as WAHA's {@code <n>@c.us}; other JIDs unchanged. */
  static String toCus(String jid) {
    String digits = Jids.phoneDigits(jid);
    return digits != null ? digits + "@c.us" : jid;
  }

  private static Optional<ChatId> chatOf(JsonNode message) {
    if (message == null || !message.isObject()) {
      return Optional.empty();
    }
    return Jids.chat(text(message, message.path("fromMe").asBoolean(false) ? "to" : "from"));
  }

  private static String groupId(JsonNode group) {
    return group.path("id").isTextual() ? group.path("id").asText() : messageId(group.path("id"));
  }

  /** Seconds or milliseconds since the epoch, or an ISO-8601 date-time. */
  static Optional<Instant> instant(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (value.isNumber() || value.isTextual() && value.asText().matches("[0-9]{9,14}")) {
      long number = value.asLong();
      if (number <= 0) {
        return Optional.empty();
      }
      boolean millis = number > 100_000_000_000L;
      return Optional.of(millis ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number));
    }
    try {
      return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.path(field);
    return value == null || !value.isValueNode() || value.isNull()
        ? null
        : blankToNull(value.asText());
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      String value = text(node, field);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  private static Object number(JsonNode value) {
    if (value.isNumber()) {
      return value.asDouble();
    }
    try {
      return Double.parseDouble(value.asText());
    } catch (NumberFormatException e) {
      return value.asText();
    }
  }

  private static void putIfPresent(Map<String, Object> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
