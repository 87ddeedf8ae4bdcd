package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowmate.gateway.RecordedTransportEvents;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * {@code POST /webhooks/waha} over real HTTP: no API key, but nothing without WAHA's signature. The
 * secret configured here is the key of the reference test vector ({@code test-key}).
 */
@ContextConfiguration(initializers = FakeWaha.Properties.class)
@Import(RecordedTransportEvents.Config.class)
class WahaWebhookReceiverIntegrationTests extends IntegrationTest {

  /** §2.4 of the transport reference: HMAC-SHA512("test-key", body) computed with openssl. */
  private static final String VECTOR_BODY = "{\"event\":\"message\",\"session\":\"default\"}";

  private static final String VECTOR_HMAC =
      "7a64df97c352925fb629c9794c32c6a5e4f1fa8de44e6a2b72377c58928321c5"
          + "38ee8ae842fd5caa6ef3176a07ec9566c4e0a70ca60d96dc306deaf6f6840851";

  @Autowired RecordedTransportEvents events;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void acceptsTheReferenceTestVectorWithoutAnApiKey() {
    Api.Response response =
        webhook()
            .withHeader("X-Webhook-Hmac", VECTOR_HMAC)
            .withHeader("X-Webhook-Hmac-Algorithm", "sha512")
            .raw("POST", "/webhooks/waha", VECTOR_BODY, "application/json");

    // Signed correctly; "default" is not a Flowmate session, so it is accepted and dropped.
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
  }

  @Test
  void acceptsASignatureWrittenInUpperCase() {
    Api.Response response =
        webhook()
            .withHeader("X-Webhook-Hmac", VECTOR_HMAC.toUpperCase())
            .raw("POST", "/webhooks/waha", VECTOR_BODY, "application/json");

    assertThat(response.status()).isEqualTo(202);
  }

  @Test
  void rejectsABadSignature() {
    Api.Response response =
        webhook()
            .withHeader("X-Webhook-Hmac", VECTOR_HMAC.replace('7', '8'))
            .withHeader("X-Webhook-Hmac-Algorithm", "sha512")
            .raw("POST", "/webhooks/waha", VECTOR_BODY, "application/json");

    assertUnauthorized(response, "does not match");
  }

  @Test
  void rejectsABodyChangedAfterSigning() {
    Api.Response response =
        webhook()
            .withHeader("X-Webhook-Hmac", VECTOR_HMAC)
            .raw(
                "POST",
                "/webhooks/waha",
                VECTOR_BODY.replace("default", "other"),
                "application/json");

    assertUnauthorized(response, "does not match");
  }

  @Test
  void rejectsAMissingSignature() {
    Api.Response response =
        webhook().raw("POST", "/webhooks/waha", VECTOR_BODY, "application/json");

    assertUnauthorized(response, "X-Webhook-Hmac header is missing");
  }

  @Test
  void rejectsAnotherAlgorithm() {
    Api.Response response =
        webhook()
            .withHeader("X-Webhook-Hmac", VECTOR_HMAC)
            .withHeader("X-Webhook-Hmac-Algorithm", "sha256")
            .raw("POST", "/webhooks/waha", VECTOR_BODY, "application/json");

    assertUnauthorized(response, "only sha512");
  }

  @Test
  void rejectsSignedJunkAsBadRequest() {
    String junk = "{not json";
    Api.Response response =
        webhook()
            .withHeader(
                "X-Webhook-Hmac",
                WebhookSignature.sign(FakeWaha.SECRET, junk.getBytes(StandardCharsets.UTF_8)))
            .raw("POST", "/webhooks/waha", junk, "application/json");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void findsTheSessionByItsNameWhenWahaSendsNoMetadata() {
    TestTenant tenant = newTenant();
    UUID id =
        UUID.fromString(
            tenant.api().post("/api/v2/sessions", Map.of("name", "by-name")).text("id"));
    ObjectNode envelope = json.createObjectNode();
    envelope.put("id", "evt_" + UUID.randomUUID());
    envelope.put("timestamp", System.currentTimeMillis());
    envelope.put("session", "fm_" + id.toString().replace("-", ""));
    envelope.put("event", "session.status");
    envelope
        .putObject("payload")
        .put("name", envelope.path("session").asText())
        .put("status", "SCAN_QR_CODE");
    String body = envelope.toString();

    Api.Response response =
        webhook()
            .withHeader(
                "X-Webhook-Hmac",
                WebhookSignature.sign(FakeWaha.SECRET, body.getBytes(StandardCharsets.UTF_8)))
            .raw("POST", "/webhooks/waha", body, "application/json");

    assertThat(response.status()).isEqualTo(200);
    events.awaitState(id, TransportEvent.SessionState.QR_CODE);
    assertThat(tenant.api().get("/api/v2/sessions/" + id).text("status")).isEqualTo("qr_code");
  }

  @Test
  void dropsEventsOfSessionsFlowmateDoesNotKnow() {
    UUID unknown = UUID.randomUUID();
    String body =
        "{\"id\":\"evt_1\",\"event\":\"session.status\",\"session\":\"fm_%s\",\"payload\":{\"status\":\"WORKING\"}}"
            .formatted(unknown.toString().replace("-", ""));

    Api.Response response =
        webhook()
            .withHeader(
                "X-Webhook-Hmac",
                WebhookSignature.sign(FakeWaha.SECRET, body.getBytes(StandardCharsets.UTF_8)))
            .raw("POST", "/webhooks/waha", body, "application/json");

    assertThat(response.status()).isEqualTo(202);
    assertThat(events.of(TransportEvent.SessionStateChanged.class, unknown)).isEmpty();
  }

  private Api webhook() {
    return anonymous();
  }

  private static void assertUnauthorized(Api.Response response, String detail) {
    assertThat(response.status()).as(response.toString()).isEqualTo(401);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.text("detail")).contains(detail);
  }
}
