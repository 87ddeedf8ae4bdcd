package io.flowmate.gateway;

import io.flowmate.gateway.spi.TransportKind;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * WhatsApp connectivity ({@code flowmate.gateway.*}).
 *
 * @param transport {@code simulator} (default, no WhatsApp account needed) or {@code waha}
 * @param simulator how the simulated phones behave
 * @param waha where WAHA runs and how it authenticates
 * @param liveness how working sessions are watched for the "working but deaf" failure
 */
@ConfigurationProperties("flowmate.gateway")
public record GatewaySettings(
    @DefaultValue("simulator") TransportKind transport,
    @DefaultValue Simulator simulator,
    @DefaultValue Waha waha,
    @DefaultValue Liveness liveness) {

  /** Defaults that were published (docker-compose.yml once shipped {@code change-me-…} values). */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("(?i)change[-_ .]?me.*|secret|password|changeit|admin|waha|test|xxx+");

  /**
   * With WAHA on, a placeholder API key lets anyone who reaches WAHA drive the WhatsApp account,
   * and a placeholder webhook secret lets anyone forge incoming messages: refuse to start instead.
   */
  public GatewaySettings {
    if (transport == TransportKind.WAHA && waha != null) {
      refusePlaceholder("flowmate.gateway.waha.api-key", waha.apiKey());
      refusePlaceholder("flowmate.gateway.waha.webhook-secret", waha.webhookSecret());
    }
  }

  private static void refusePlaceholder(String property, String value) {
    if (value != null && PLACEHOLDER.matcher(value.trim()).matches()) {
      throw new IllegalArgumentException(
          "%s is a placeholder, not a secret: set a random value (e.g. `openssl rand -hex 32`), the same in WAHA"
              .formatted(property));
    }
  }

  /**
   * @param pairingDelay how long after showing a QR code the simulated phone "scans" it; negative
   *     means never (pair through {@code POST /api/v2/simulator/sessions/{id}/pair})
   * @param deliveryDelay from send to the "delivered" ack
   * @param readDelay from send to the "read" ack; negative means the recipient never reads
   */
  public record Simulator(
      @DefaultValue("3s") Duration pairingDelay,
      @DefaultValue("500ms") Duration deliveryDelay,
      @DefaultValue("2s") Duration readDelay) {}

  /**
   * @param baseUrl WAHA's address, e.g. {@code http://waha:3000}
   * @param apiKey sent as {@code X-Api-Key} on every call ({@code WAHA_API_KEY})
   * @param webhookSecret the key WAHA signs webhooks with ({@code WHATSAPP_HOOK_HMAC_KEY});
   *     webhooks without a valid {@code X-Webhook-Hmac} are refused
   * @param webhookUrl where WAHA should post events for sessions Flowmate creates, e.g. {@code
   *     http://flowmate:8080/webhooks/waha}; empty relies on WAHA's global webhook ({@code
   *     WHATSAPP_HOOK_URL}, which must then be signed with the same secret)
   * @param timeout per HTTP call
   */
  public record Waha(
      @DefaultValue("http://localhost:3000") URI baseUrl,
      String apiKey,
      String webhookSecret,
      String webhookUrl,
      @DefaultValue("30s") Duration timeout) {}

  /**
   * The liveness watchdog: a session WhatsApp stopped talking to while its status stays {@code
   * working} is restarted through the transport, and reported when restarts do not help.
   *
   * @param enabled whether the watchdog runs (the checks are scheduled every {@code
   *     check-interval}); events are tracked either way
   * @param checkInterval how often each instance looks at the working sessions
   * @param silenceThreshold a message handed to WhatsApp that long ago with no event of any kind
   *     since (no ack, no incoming message) means the session is deaf: restart it
   * @param probeInterval how often each working session's transport is asked whether it is
   *     connected (WAHA: {@code GET /api/sessions/{name}}; the simulator: its phone's state)
   * @param probeFailures failed probes in a row that restart the session
   * @param recoveryTime how long a restarted session is left alone to reconnect; a second restart
   *     needs the problem to be seen again after that
   * @param maxRestarts restarts in a row without the session coming back before it is reported
   *     unhealthy ({@code session.unhealthy}); the restarts then slow down to one per {@code
   *     backoff}
   * @param backoff the time between restarts of a session reported unhealthy
   */
  public record Liveness(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("30s") Duration checkInterval,
      @DefaultValue("5m") Duration silenceThreshold,
      @DefaultValue("2m") Duration probeInterval,
      @DefaultValue("2") int probeFailures,
      @DefaultValue("3m") Duration recoveryTime,
      @DefaultValue("3") int maxRestarts,
      @DefaultValue("30m") Duration backoff) {

    public Liveness {
      if (probeFailures < 1 || maxRestarts < 1) {
        throw new IllegalArgumentException(
            "flowmate.gateway.liveness.probe-failures and max-restarts must be at least 1");
      }
    }
  }
}
