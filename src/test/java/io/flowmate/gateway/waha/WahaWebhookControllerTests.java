package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.flowmate.core.api.ApiException;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.TransportKind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

/** The receiver without a configured secret: a signature cannot be checked, so nothing gets in. */
class WahaWebhookControllerTests {

  @Test
  void refusesEveryWebhookWhenNoSecretIsConfigured() {
    GatewaySettings settings =
        new GatewaySettings(
            TransportKind.WAHA,
            new GatewaySettings.Simulator(Duration.ZERO, Duration.ZERO, Duration.ZERO),
            new GatewaySettings.Waha(
                URI.create("http://127.0.0.1:9"), "key", " ", null, Duration.ofSeconds(1)),
            null);
    Sessions sessions = mock(Sessions.class);
    WahaWebhookController controller =
        new WahaWebhookController(
            new WahaTransport(settings, RestClient.builder(), Clock.systemUTC()),
            sessions,
            settings,
            Clock.systemUTC());
    byte[] body =
        "{\"event\":\"message\",\"session\":\"default\"}".getBytes(StandardCharsets.UTF_8);

    for (String signature :
        new String[] {
          null, WebhookSignature.sign("test-key", body), WebhookSignature.sign(" ", body)
        }) {
      ApiException refused =
          catchThrowableOfType(
              ApiException.class, () -> controller.receive(body, signature, "sha512"));
      assertThat(refused.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
      assertThat(refused.getMessage()).contains("no WAHA webhook secret configured");
    }
    verifyNoInteractions(sessions);
  }
}
