package io.flowmate.gateway.simulator;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.TransportEvent.InboundContent;
import io.flowmate.gateway.spi.TransportLabel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Drives the simulated WhatsApp: scan the QR code, make contacts write, react and join groups,
 * switch on the faults WhatsApp produces, and see what the simulated WhatsApp received. Only
 * present when the simulator is the transport.
 */
@RestController
@RequestMapping("/api/v2/simulator/sessions/{sessionId}")
@ConditionalOnProperty(
    name = "flowmate.gateway.transport",
    havingValue = "simulator",
    matchIfMissing = true)
@Tag(name = "Simulator", description = "Control the simulated WhatsApp (simulator transport only)")
class SimulatorController {

  private final SimulatorTransport simulator;
  private final Sessions sessions;

  SimulatorController(SimulatorTransport simulator, Sessions sessions) {
    this.simulator = simulator;
    this.sessions = sessions;
  }

  /**
   * @param from the contact's phone number (or {@code <n>@lid})
   * @param groupId set to make it a message in this group, written by {@code from}
   * @param type {@code text} by default; media types get a simulated file
   */
  record InboundRequest(
      @NotBlank String from,
      @Size(max = 100) String senderName,
      @Size(max = 65536) String message,
      @Pattern(regexp = "text|image|video|document|audio|voice|sticker|location|contact")
          String type,
      String groupId) {}

  record InboundView(String waMessageId, String chatId) {}

  record ReactionRequest(
      @NotBlank String from, @NotBlank String waMessageId, @NotNull String emoji) {}

  record GroupRequest(
      @NotBlank @Size(max = 100) String subject, @NotNull List<@NotBlank String> participants) {}

  record GroupView(String groupId) {}

  record JoinRequest(@NotBlank String groupId, @NotBlank String phone) {}

  record LidView(String phone, String lid) {}

  record LabelRequest(
      @NotBlank @Size(max = 100) String name, @Pattern(regexp = "#[0-9a-fA-F]{6}") String color) {}

  record ChatLabelRequest(@NotBlank String chatId, @NotBlank String labelId) {}

  /**
   * @param reachoutLockMinutes from now on, messages to contacts who never wrote fail with error
   *     463 for this many minutes (0 lifts it)
   * @param failNextSends the next sends throw ({@code failures_retryable} says whether retrying may
   *     help)
   * @param numbersNotReading these recipients get our messages but never read them
   * @param loseNextAnswers the next sends reach WhatsApp but their answer is lost (as a timeout
   *     after WAHA took the message): Flowmate must ask whether they were sent
   */
  record FaultsRequest(
      @Min(0) @Max(100_000) Integer reachoutLockMinutes,
      @Min(0) @Max(100_000) Integer failNextSends,
      Boolean failuresRetryable,
      Boolean requirePasskey,
      Set<String> numbersNotOnWhatsapp,
      Set<String> numbersNotReading,
      Boolean ban,
      Boolean unlinkFromPhone,
      @Min(0) @Max(100_000) Integer loseNextAnswers) {}

  @PostMapping("/pair")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "The simulated phone scans the session's QR code")
  void pair(Caller caller, @PathVariable UUID sessionId) {
    SessionInfo session = session(caller, sessionId);
    if (!simulator.pair(session.id())) {
      throw ApiException.conflict(
          "Session '%s' is %s; start it and pair while it shows a QR code"
              .formatted(sessionId, session.status().value()));
    }
  }

  @PostMapping("/passkey")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "The operator confirms the passkey WhatsApp asked for while linking")
  void passkey(Caller caller, @PathVariable UUID sessionId) {
    SessionInfo session = session(caller, sessionId);
    if (!simulator.completePasskey(session.id())) {
      throw ApiException.conflict(
          "Session '%s' is %s, not passkey_required"
              .formatted(sessionId, session.status().value()));
    }
  }

  @PostMapping("/inbound")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "A contact writes to the session's number, directly or in a group")
  InboundView inbound(
      Caller caller, @PathVariable UUID sessionId, @Valid @RequestBody InboundRequest request) {
    SessionInfo session = working(caller, sessionId);
    ChatId from = ChatId.parse(request.from());
    if (from.kind() == ChatId.Kind.GROUP) {
      throw ApiException.invalid("from must be a person (a phone number or <n>@lid)");
    }
    ChatId group = request.groupId() == null ? null : ChatId.parse(request.groupId());
    String type = request.type() == null ? "text" : request.type();
    if (type.equals("text") && (request.message() == null || request.message().isBlank())) {
      throw ApiException.invalid("message is required for a text");
    }
    Map<String, Object> details = new HashMap<>();
    if (type.equals("location")) {
      details.put("latitude", 52.52);
      details.put("longitude", 13.405);
    }
    String id =
        simulator.receive(
            session.id(),
            from,
            request.senderName(),
            group,
            new InboundContent(type, request.message(), null, mimetype(type), null, details));
    return new InboundView(id, group != null ? group.value() : from.value());
  }

  @PostMapping("/reactions")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "A contact reacts to one of the session's messages (empty emoji removes it)")
  void react(
      Caller caller, @PathVariable UUID sessionId, @Valid @RequestBody ReactionRequest request) {
    SessionInfo session = working(caller, sessionId);
    simulator.react(
        session.id(), ChatId.parse(request.from()), request.waMessageId(), request.emoji());
  }

  @PostMapping("/groups")
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "A WhatsApp group with the session's number and these participants")
  GroupView group(
      Caller caller, @PathVariable UUID sessionId, @Valid @RequestBody GroupRequest request) {
    SessionInfo session = working(caller, sessionId);
    return new GroupView(
        simulator.createGroup(session.id(), request.subject(), request.participants()).value());
  }

  @PostMapping("/groups/join")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "Someone joins a simulated group")
  void join(Caller caller, @PathVariable UUID sessionId, @Valid @RequestBody JoinRequest request) {
    working(caller, sessionId);
    simulator.joinGroup(ChatId.parse(request.groupId()), request.phone());
  }

  @PostMapping("/contacts/{phone}/migrate-to-lid")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "WhatsApp moves a contact to a linked id; its messages then come from @lid")
  LidView migrate(Caller caller, @PathVariable UUID sessionId, @PathVariable String phone) {
    SessionInfo session = working(caller, sessionId);
    String digits =
        ChatId.parse(phone)
            .phoneNumber()
            .orElseThrow(() -> ApiException.invalid("a phone number is needed"));
    return new LidView(digits, simulator.migrateToLid(session.id(), digits));
  }

  @PostMapping("/labels")
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "A label is created in the WhatsApp Business app on the phone")
  TransportLabel label(
      Caller caller, @PathVariable UUID sessionId, @Valid @RequestBody LabelRequest request) {
    SessionInfo session = working(caller, sessionId);
    return simulator.createLabelOnPhone(session.id(), request.name(), request.color());
  }

  @PostMapping("/chat-labels")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "A label is put on a chat in the WhatsApp Business app on the phone")
  void chatLabel(
      Caller caller, @PathVariable UUID sessionId, @Valid @RequestBody ChatLabelRequest request) {
    SessionInfo session = working(caller, sessionId);
    simulator.labelChatOnPhone(session.id(), ChatId.parse(request.chatId()), request.labelId());
  }

  @PostMapping("/faults")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(
      summary =
          "Make WhatsApp misbehave: 463 timelock, failing sends, lost answers, passkey, ban, unlink")
  void faults(
      Caller caller, @PathVariable UUID sessionId, @Valid @RequestBody FaultsRequest request) {
    SessionInfo session = session(caller, sessionId);
    simulator.applyFaults(
        session.id(),
        new SimulatorTransport.Faults(
            request.reachoutLockMinutes(),
            request.failNextSends(),
            request.failuresRetryable(),
            request.requirePasskey(),
            request.numbersNotOnWhatsapp(),
            request.numbersNotReading(),
            request.loseNextAnswers()));
    if (Boolean.TRUE.equals(request.ban())) {
      simulator.ban(session.id());
    }
    if (Boolean.TRUE.equals(request.unlinkFromPhone())) {
      simulator.unlinkFromPhone(session.id());
    }
  }

  @GetMapping("/deliveries")
  @RequiresScope(Scopes.SESSIONS_READ)
  @Operation(summary = "What the simulated WhatsApp accepted from this session, oldest first")
  List<SimulatorTransport.Delivery> deliveries(Caller caller, @PathVariable UUID sessionId) {
    return simulator.deliveries(session(caller, sessionId).id());
  }

  @GetMapping("/activities")
  @RequiresScope(Scopes.SESSIONS_READ)
  @Operation(summary = "Read marks, typing, edits and revokes the session did, oldest first")
  List<SimulatorTransport.Activity> activities(Caller caller, @PathVariable UUID sessionId) {
    return simulator.activities(session(caller, sessionId).id());
  }

  @GetMapping("/chat-labels")
  @RequiresScope(Scopes.SESSIONS_READ)
  @Operation(summary = "The labels each chat carries on the simulated phone")
  Map<String, List<String>> chatLabels(Caller caller, @PathVariable UUID sessionId) {
    return simulator.chatLabels(session(caller, sessionId).id());
  }

  private SessionInfo session(Caller caller, UUID sessionId) {
    return sessions.get(caller.tenantId(), SessionId.of(sessionId));
  }

  private SessionInfo working(Caller caller, UUID sessionId) {
    SessionInfo session = session(caller, sessionId);
    if (!session.isWorking()) {
      throw ApiException.conflict(
          "Session '%s' is %s, not working".formatted(sessionId, session.status().value()));
    }
    return session;
  }

  private static String mimetype(String type) {
    return switch (type) {
      case "image" -> "image/jpeg";
      case "video" -> "video/mp4";
      case "document" -> "application/pdf";
      case "audio" -> "audio/mpeg";
      case "voice" -> "audio/ogg; codecs=opus";
      case "sticker" -> "image/webp";
      default -> null;
    };
  }
}
