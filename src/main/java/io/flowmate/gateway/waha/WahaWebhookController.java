package io.flowmate.gateway.waha;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flowmate.core.LogSafe;
import io.flowmate.core.SessionId;
import io.flowmate.core.api.ApiException;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.TransportEvent;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives WAHA's webhooks. It lives outside {@code /api} because WAHA cannot send a Flowmate API
 * key; it authenticates each delivery by its HMAC-SHA512 signature over the raw body instead, so
 * without a configured secret it accepts nothing.
 *
 * <p>Events of unknown sessions (WAHA's {@code default}, sessions deleted in Flowmate) are answered
 * 202 and dropped. WAHA retries an event with the same {@code id} until it gets a 2xx; repeats of a
 * stored event are answered 200 but handed on only once, and a repeat that arrives while an earlier
 * delivery is still being stored is answered 503 (that one may yet fail). The listeners run before
 * the answer, so an event is acknowledged only once it is recorded: a crash before that, or a
 * failure to store it (answered 503), makes WAHA deliver it again. Concurrent deliveries share
 * database transactions, which keeps the answer fast under load.
 */
@RestController
@Hidden
@ConditionalOnProperty(name = "flowmate.gateway.transport", havingValue = "waha")
class WahaWebhookController {

  static final String PATH = "/webhooks/waha";
  private static final Logger log = LoggerFactory.getLogger(WahaWebhookController.class);
  private static final int REMEMBERED_EVENTS = 10_000;

  private final WahaTransport transport;
  private final Sessions sessions;
  private final String secret;
  private final WahaEvents events;
  private final RecentEventIds seen = new RecentEventIds(REMEMBERED_EVENTS);
  private final JsonMapper json = JsonMapper.builder().build();
  private final AtomicBoolean warnedAboutSecret = new AtomicBoolean();

  WahaWebhookController(
      WahaTransport transport, Sessions sessions, GatewaySettings settings, Clock clock) {
    this.transport = transport;
    this.sessions = sessions;
    String configured = settings.waha().webhookSecret();
    this.secret = configured == null || configured.isBlank() ? null : configured;
    this.events = new WahaEvents(clock);
  }

  @PostMapping(PATH)
  ResponseEntity<Void> receive(
      @RequestBody(required = false) byte[] body,
      @RequestHeader(name = WebhookSignature.HEADER, required = false) String signature,
      @RequestHeader(name = WebhookSignature.ALGORITHM_HEADER, required = false) String algorithm) {
    byte[] raw = body == null ? new byte[0] : body;
    authenticate(raw, signature, algorithm);
    JsonNode envelope = parse(raw);
    Optional<SessionId> sessionId = sessionOf(envelope);
    if (sessionId.isEmpty()) {
      log.debug(
          "WAHA event {} for session '{}' ignored: not a Flowmate session",
          LogSafe.text(envelope.path("event").asText()),
          LogSafe.text(envelope.path("session").asText()));
      return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }
    String eventId = envelope.path("id").isTextual() ? envelope.path("id").asText() : null;
    if (eventId != null) {
      switch (seen.begin(eventId)) {
        case HANDLED -> {
          log.debug("WAHA event {} delivered again; already handled", LogSafe.text(eventId));
          return ResponseEntity.ok().build();
        }
        case IN_FLIGHT -> {
          // The first attempt may still fail: a 200 now would lose the event if it does.
          throw new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "Event %s is still being handled by an earlier delivery; deliver it again"
                  .formatted(eventId),
              Map.of(HttpHeaders.RETRY_AFTER, "2"));
        }
        case FIRST -> {}
      }
    }
    boolean stored = false;
    try {
      List<TransportEvent> normalised = events.normalise(sessionId.get(), envelope);
      try {
        normalised.forEach(transport::publish);
      } catch (RuntimeException e) {
        // 503: WAHA retries the delivery; what was stored already is not stored twice.
        throw new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            "The event could not be stored right now; deliver it again");
      }
      stored = true;
    } finally {
      if (eventId != null) {
        if (stored) {
          seen.handled(eventId);
        } else {
          seen.failed(eventId);
        }
      }
    }
    return ResponseEntity.ok().build();
  }

  /** 401 unless the body carries WAHA's valid HMAC-SHA512 signature under our secret. */
  private void authenticate(byte[] body, String signature, String algorithm) {
    if (secret == null) {
      if (warnedAboutSecret.compareAndSet(false, true)) {
        log.warn(
            "A WAHA webhook arrived but flowmate.gateway.waha.webhook-secret is not set: every"
                + " webhook is refused until it is (and WAHA signs with the same key)");
      }
      throw unauthorized(
          "Webhooks are refused: Flowmate has no WAHA webhook secret configured"
              + " (flowmate.gateway.waha.webhook-secret)");
    }
    if (signature == null || signature.isBlank()) {
      throw unauthorized(
          "The "
              + WebhookSignature.HEADER
              + " header is missing: configure the webhook's HMAC key in WAHA");
    }
    if (algorithm != null && !WebhookSignature.ALGORITHM.equalsIgnoreCase(algorithm.strip())) {
      throw unauthorized(
          "Unsupported %s '%s': only sha512 is accepted"
              .formatted(WebhookSignature.ALGORITHM_HEADER, algorithm));
    }
    if (!WebhookSignature.matches(secret, body, signature)) {
      throw unauthorized(
          "The %s signature does not match the body: WAHA and Flowmate must share the same webhook secret"
              .formatted(WebhookSignature.HEADER));
    }
  }

  private JsonNode parse(byte[] body) {
    try {
      JsonNode envelope = json.readTree(body);
      if (envelope == null || !envelope.isObject()) {
        throw ApiException.invalid("The webhook body must be a JSON object");
      }
      return envelope;
    } catch (IOException e) {
      String reason =
          e instanceof JsonProcessingException parse ? parse.getOriginalMessage() : e.getMessage();
      throw new ApiException(HttpStatus.BAD_REQUEST, "The webhook body is not JSON: " + reason);
    }
  }

  /**
   * The Flowmate session from the metadata WAHA echoes, else from the session name {@code
   * fm_<uuid>}; only sessions Flowmate knows.
   */
  private Optional<SessionId> sessionOf(JsonNode envelope) {
    Optional<UUID> id = Optional.empty();
    JsonNode metadata = envelope.path("metadata").path(WahaTransport.SESSION_ID_METADATA);
    if (metadata.isTextual()) {
      try {
        id = Optional.of(UUID.fromString(metadata.asText().trim()));
      } catch (IllegalArgumentException notAUuid) {
        // fall back to the name
      }
    }
    if (id.isEmpty()) {
      id = Jids.sessionIdOf(envelope.path("session").asText(null));
    }
    return id.map(SessionId::of).filter(sessionId -> sessions.identify(sessionId).isPresent());
  }

  private static ApiException unauthorized(String detail) {
    return new ApiException(HttpStatus.UNAUTHORIZED, detail);
  }
}
