package io.flowmate.gateway;

import io.flowmate.core.ChatId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.core.sse.LiveEvents;
import io.flowmate.core.web.ApiSettings;
import io.flowmate.gateway.SessionRepository.SessionRow;
import io.flowmate.gateway.liveness.SessionRestarts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** MoltFlow-compatible sessions: one WhatsApp number each. */
@RestController
@RequestMapping("/api/v2/sessions")
@Tag(name = "Sessions", description = "WhatsApp numbers linked to Flowmate")
class SessionController {

  private final SessionService sessions;
  private final SessionRepository repository;
  private final PairingLinks pairingLinks;
  private final LiveEvents live;
  private final ApiSettings api;
  private final SessionRestarts restarts;

  SessionController(
      SessionService sessions,
      SessionRepository repository,
      PairingLinks pairingLinks,
      LiveEvents live,
      ApiSettings api,
      SessionRestarts restarts) {
    this.sessions = sessions;
    this.repository = repository;
    this.pairingLinks = pairingLinks;
    this.live = live;
    this.api = api;
    this.restarts = restarts;
  }

  /** The session as the API shows it, with its latest restart by the liveness watchdog. */
  private SessionView view(SessionRow row) {
    return SessionView.of(row, restarts.latest(row.info().id().value()).orElse(null));
  }

  record PairingCodeRequest(@NotBlank String phoneNumber) {}

  record PairingCodeView(String code, String phoneNumber) {}

  record QrView(String value, String mimetype, String data, SessionStatus status) {}

  record PairingLinkView(String url, Instant expiresAt) {}

  record CreateSessionRequest(@NotBlank @Size(max = 100) String name) {}

  record SessionView(
      UUID id,
      String name,
      SessionStatus status,
      String passkeyChallenge,
      String phoneNumber,
      String pushName,
      boolean isBusiness,
      String failureReason,
      Instant statusChangedAt,
      Instant lastEventAt,
      SessionRestarts.Restart lastRestart,
      Instant unhealthySince,
      Instant createdAt,
      Instant updatedAt) {

    static SessionView of(SessionRow row, SessionRestarts.Restart lastRestart) {
      SessionInfo s = row.info();
      return new SessionView(
          s.id().value(),
          s.name(),
          s.status(),
          row.passkeyChallenge(),
          s.phoneNumber(),
          row.pushName(),
          s.isBusiness(),
          row.failureReason(),
          row.statusChangedAt(),
          row.lastEventAt(),
          lastRestart,
          row.unhealthySince(),
          s.createdAt(),
          row.updatedAt());
    }
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "Create a session (status stopped); the plan caps how many a tenant has")
  SessionView create(Caller caller, @Valid @RequestBody CreateSessionRequest request) {
    return view(sessions.create(caller.tenantId(), request.name().trim()));
  }

  @GetMapping
  @RequiresScope(Scopes.SESSIONS_READ)
  @Operation(summary = "List sessions (a JSON array, as in MoltFlow; X-Total-Count has the total)")
  List<SessionView> list(
      Caller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset,
      HttpServletResponse response) {
    PageQuery page = PageQuery.of(limit, offset);
    response.setHeader("X-Total-Count", Long.toString(repository.count(caller.tenantId())));
    List<SessionRow> rows = repository.list(caller.tenantId(), page.limit(), page.offset());
    Map<UUID, SessionRestarts.Restart> latest =
        restarts.latest(rows.stream().map(row -> row.info().id().value()).toList());
    return rows.stream()
        .map(row -> SessionView.of(row, latest.get(row.info().id().value())))
        .toList();
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.SESSIONS_READ)
  SessionView get(Caller caller, @PathVariable UUID id) {
    return view(sessions.get(caller.tenantId(), id));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "Log out and delete the session")
  void delete(Caller caller, @PathVariable UUID id) {
    sessions.delete(caller.tenantId(), id);
  }

  @PostMapping("/{id}/start")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "Start: status goes starting → qr_code (scan it) → working")
  SessionView start(Caller caller, @PathVariable UUID id) {
    return view(sessions.start(caller.tenantId(), id));
  }

  @PostMapping("/{id}/stop")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "Stop; the pairing is kept")
  SessionView stop(Caller caller, @PathVariable UUID id) {
    return view(sessions.stop(caller.tenantId(), id));
  }

  @PostMapping("/{id}/restart")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "Stop and start again; the pairing is kept")
  SessionView restart(Caller caller, @PathVariable UUID id) {
    return view(sessions.restart(caller.tenantId(), id));
  }

  @GetMapping("/{id}/restarts")
  @RequiresScope(Scopes.SESSIONS_READ)
  @Operation(
      summary = "Restarts of the session by the liveness watchdog, newest first",
      description =
          "Why each happened (cause silent, probe_failed or not_working, and reason) and what came"
              + " of it (outcome awaiting_activity, recovered, no_effect or failed).")
  Page<SessionRestarts.Restart> restarts(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    sessions.get(caller.tenantId(), id);
    PageQuery page = PageQuery.of(limit, offset);
    return Page.of(restarts.list(id, page.limit(), page.offset()), restarts.count(id), page);
  }

  @GetMapping("/{id}/qr")
  @RequiresScope(Scopes.SESSIONS_READ)
  @Operation(
      summary = "The pairing QR code while the session shows one",
      description =
          "format=image (default): a PNG to scan with WhatsApp → Linked devices. format=raw: the"
              + " string to render yourself. format=base64: {mimetype, data}. 409 when the session"
              + " is not waiting for a scan.")
  ResponseEntity<?> qr(
      Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "image") String format) {
    String value = sessions.qrCode(caller.tenantId(), id);
    SessionStatus status = SessionStatus.QR_CODE;
    return switch (format) {
      case "image" ->
          ResponseEntity.ok()
              .contentType(MediaType.IMAGE_PNG)
              .header(HttpHeaders.CACHE_CONTROL, "no-store")
              .body(QrCodes.png(value, 320));
      case "raw" -> ResponseEntity.ok(new QrView(value, null, null, status));
      case "base64" ->
          ResponseEntity.ok(
              new QrView(
                  null,
                  "image/png",
                  Base64.getEncoder().encodeToString(QrCodes.png(value, 320)),
                  status));
      default -> throw ApiException.invalid("format must be image, raw or base64");
    };
  }

  @PostMapping("/{id}/pairing-code")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(
      summary = "Pair without a camera: a code to type on the phone",
      description =
          "On the phone: WhatsApp → Linked devices → Link with phone number instead, then type"
              + " the code. The session must be started and show a QR code.")
  PairingCodeView pairingCode(
      Caller caller, @PathVariable UUID id, @Valid @RequestBody PairingCodeRequest request) {
    String phone =
        ChatId.parse(request.phoneNumber())
            .phoneNumber()
            .orElseThrow(() -> ApiException.invalid("phone_number must be a phone number"));
    return new PairingCodeView(sessions.pairingCode(caller.tenantId(), id, phone), phone);
  }

  @PostMapping("/{id}/pairing-link")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(
      summary = "A 15-minute link to a browser page that shows the live QR code",
      description = "Give it to the person holding the phone; it reveals no API key.")
  PairingLinkView pairingLink(Caller caller, @PathVariable UUID id, HttpServletRequest request) {
    sessions.get(caller.tenantId(), id);
    PairingLinks.Link link = pairingLinks.create(caller.tenantId(), id);
    String base =
        api.publicUrl() != null && !api.publicUrl().isBlank()
            ? api.publicUrl().replaceAll("/+$", "")
            : ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
    return new PairingLinkView(base + "/pair/" + id + "?token=" + link.token(), link.expiresAt());
  }

  @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @RequiresScope(Scopes.SESSIONS_READ)
  @Operation(
      summary = "Live stream (SSE) of the session: status changes, incoming messages, deliveries",
      description =
          "Each event needs its scope on the key: session.* sessions:read, message.* messages:read"
              + " (message.received also chat_history_access_enabled), group.* groups:read, lead.*"
              + " leads:read. Browsers' EventSource cannot send headers: pass a single-use ticket"
              + " from POST /api/v2/stream-ticket as ?ticket=<ticket> instead.")
  SseEmitter events(Caller caller, @PathVariable UUID id) {
    sessions.get(caller.tenantId(), id);
    return live.subscribe(caller, event -> id.equals(event.sessionId()), Duration.ofHours(1));
  }

  @PostMapping("/{id}/logout")
  @RequiresScope(Scopes.SESSIONS_MANAGE)
  @Operation(summary = "Unlink the phone; the next start needs a new QR scan")
  SessionView logout(Caller caller, @PathVariable UUID id) {
    return view(sessions.logout(caller.tenantId(), id));
  }
}
