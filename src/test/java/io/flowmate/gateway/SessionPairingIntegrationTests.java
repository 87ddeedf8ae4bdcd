package io.flowmate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Pairing a number: the QR code as PNG and raw string, pairing by code, the browser page behind a
 * pairing link, the passkey step, the live event stream, and a phone that unlinks the device. The
 * simulated phone does not scan on its own here, so every step is visible.
 */
@TestPropertySource(properties = "flowmate.gateway.simulator.pairing-delay=-1s")
class SessionPairingIntegrationTests extends IntegrationTest {

  @Test
  void aStartedSessionShowsItsQrCodeUntilThePhoneScansIt() throws Exception {
    TestTenant tenant = newTenant();
    String session = startedSession(tenant);

    HttpResponse<byte[]> png = raw(tenant.adminKey(), "/api/v2/sessions/" + session + "/qr");
    Api.Response rawValue = tenant.api().get("/api/v2/sessions/" + session + "/qr?format=raw");
    Api.Response base64 = tenant.api().get("/api/v2/sessions/" + session + "/qr?format=base64");

    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(png.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    assertThat(rawValue.text("value")).startsWith("2@SIMULATOR");
    assertThat(base64.text("mimetype")).isEqualTo("image/png");

    tenant.api().post("/api/v2/simulator/sessions/" + session + "/pair");
    awaitStatus(tenant, session, "working");
    Api.Response afterPairing = tenant.api().get("/api/v2/sessions/" + session + "/qr");
    assertThat(afterPairing.status()).isEqualTo(409);
    assertThat(afterPairing.text("detail")).contains("working");
    assertThat(tenant.api().get("/api/v2/sessions/" + session).text("phone_number"))
        .startsWith("1555");
  }

  @Test
  void aPairingCodeCanBeRequestedWhileWaitingForPairing() {
    TestTenant tenant = newTenant();
    String session = startedSession(tenant);

    Api.Response code =
        tenant
            .api()
            .post(
                "/api/v2/sessions/" + session + "/pairing-code",
                Map.of("phone_number", "+49 151 0000 0401"));
    Api.Response bad =
        tenant
            .api()
            .post("/api/v2/sessions/" + session + "/pairing-code", Map.of("phone_number", "abc"));

    assertThat(code.status()).isEqualTo(200);
    assertThat(code.text("code")).matches("[A-Z0-9]{4}-[A-Z0-9]{4}");
    assertThat(code.text("phone_number")).isEqualTo("4915100000401");
    assertThat(bad.status()).isEqualTo(422);
  }

  @Test
  void thePairingPageWorksWithItsLinkAndNothingElse() throws Exception {
    TestTenant tenant = newTenant();
    String session = startedSession(tenant);

    Api.Response link = tenant.api().post("/api/v2/sessions/" + session + "/pairing-link");
    String url = link.text("url");
    String path = URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery();
    String token = url.substring(url.indexOf("token=") + 6);

    HttpResponse<byte[]> page = raw(null, path);
    HttpResponse<byte[]> qr = raw(null, "/pair/" + session + "/qr.png?token=" + token);
    HttpResponse<byte[]> status = raw(null, "/pair/" + session + "/status?token=" + token);
    HttpResponse<byte[]> forged = raw(null, "/pair/" + session + "?token=not-the-token");
    HttpResponse<byte[]> otherSession =
        raw(null, "/pair/" + startedSession(tenant) + "?token=" + token);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(new String(page.body(), StandardCharsets.UTF_8))
        .contains("Link WhatsApp", "Linked devices");
    assertThat(qr.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(new String(status.body(), StandardCharsets.UTF_8))
        .contains("\"status\":\"qr_code\"");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(otherSession.statusCode()).isEqualTo(401);
    assertThat(link.text("expires_at")).isNotNull();
  }

  @Test
  void aPasskeyStepIsShownAndCompletesThePairing() {
    TestTenant tenant = newTenant();
    String session = tenant.api().post("/api/v2/sessions", Map.of("name", "passkey")).text("id");
    tenant
        .api()
        .post("/api/v2/simulator/sessions/" + session + "/faults", Map.of("require_passkey", true));
    tenant.api().post("/api/v2/sessions/" + session + "/start");
    awaitStatus(tenant, session, "qr_code");

    tenant.api().post("/api/v2/simulator/sessions/" + session + "/pair");
    awaitStatus(tenant, session, "passkey_required");
    assertThat(tenant.api().get("/api/v2/sessions/" + session).text("passkey_challenge"))
        .isNotBlank();

    tenant.api().post("/api/v2/simulator/sessions/" + session + "/passkey");
    awaitStatus(tenant, session, "working");
  }

  @Test
  void theEventStreamReportsStatusChangesAndTakesATicket() throws Exception {
    TestTenant tenant = newTenant();
    String session = tenant.api().post("/api/v2/sessions", Map.of("name", "stream")).text("id");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:"
                        + port
                        + "/api/v2/sessions/"
                        + session
                        + "/events?ticket="
                        + io.flowmate.support.EventStream.ticket(tenant.api())))
            .header("Accept", "text/event-stream")
            .build();
    CompletableFuture<HttpResponse<java.io.InputStream>> stream =
        HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    CompletableFuture.runAsync(() -> {
      try (var reader =
          new BufferedReader(new InputStreamReader(stream.join().body(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
        }
      } catch (Exception ignored) {
        // the stream ends with the test
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains(":connected"));

    tenant.api().post("/api/v2/sessions/" + session + "/start");
    tenant.api().post("/api/v2/simulator/sessions/" + session + "/pair");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            lines.stream()
                .anyMatch(l -> l.startsWith("data:") && l.contains("\"status\":\"working\"")));
    assertThat(lines).contains("event:session.status");
    assertThat(stream.join().statusCode()).isEqualTo(200);
  }

  @Test
  void aPhoneThatUnlinksTheDeviceFailsTheSessionAndDropsThePairing() {
    TestTenant tenant = newTenant();
    String session = startedSession(tenant);
    tenant.api().post("/api/v2/simulator/sessions/" + session + "/pair");
    awaitStatus(tenant, session, "working");

    tenant
        .api()
        .post(
            "/api/v2/simulator/sessions/" + session + "/faults", Map.of("unlink_from_phone", true));

    awaitStatus(tenant, session, "failed");
    Api.Response view = tenant.api().get("/api/v2/sessions/" + session);
    assertThat(view.text("failure_reason")).contains("pair the phone again");
    assertThat(view.text("phone_number")).isNull();
    tenant.api().post("/api/v2/sessions/" + session + "/start");
    awaitStatus(tenant, session, "qr_code");
  }

  private String startedSession(TestTenant tenant) {
    String session =
        tenant.api().post("/api/v2/sessions", Map.of("name", "s-" + System.nanoTime())).text("id");
    tenant.api().post("/api/v2/sessions/" + session + "/start");
    awaitStatus(tenant, session, "qr_code");
    return session;
  }

  private static void awaitStatus(TestTenant tenant, String session, String status) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status.equals(tenant.api().get("/api/v2/sessions/" + session).text("status")));
  }

  private HttpResponse<byte[]> raw(String key, String path) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (key != null) {
      request.header("X-API-Key", key);
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
