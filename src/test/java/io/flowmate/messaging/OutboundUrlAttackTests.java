package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.MediaServer;
import io.flowmate.support.TestGroups;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Attacks on the URLs Flowmate fetches for users (issue #11, item 3): media URLs pointing at cloud
 * metadata, loopback and private networks in every spelling, redirects into them, and what the
 * transport is handed. The test profile exempts only the host name {@code localhost}.
 */
class OutboundUrlAttackTests extends IntegrationTest {

  private static final byte[] JPEG = {
    (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'
  };

  @Autowired JdbcClient jdbc;

  private TestTenant tenant;
  private String session;
  private MediaServer media;

  @BeforeEach
  void workingSession() {
    tenant = newTenant().allowingColdMessages();
    session = tenant.workingSession();
    media = MediaServer.start();
  }

  @AfterEach
  void stopMediaServer() {
    media.close();
  }

  /**
   * The metadata service: media_url http://169.254.169.254/latest/meta-data/ on
   * /messages/send/media.
   */
  @Test
  void cloudMetadataAsMediaUrlIsRefused() {
    Api.Response refused =
        sendMedia("http://169.254.169.254/latest/meta-data/iam/security-credentials/");

    assertRefused(refused, "169.254.169.254", "link-local");
    assertThat(queuedMessages()).as("nothing was queued").isZero();
  }

  /** Internal addresses in every spelling a URL parser or a downloader may accept. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://2852039166/latest/meta-data/  | 169.254.169.254",
        "http://0xA9FEA9FE/latest/meta-data/  | 169.254.169.254",
        "http://0251.0376.0251.0376/          | 169.254.169.254",
        "http://[::ffff:169.254.169.254]/     | 169.254.169.254",
        "http://[::ffff:a9fe:a9fe]/           | 169.254.169.254",
        "http://0x7f.1/admin                  | 127.0.0.1",
        "http://127.0.0.1:5432/               | 127.0.0.1",
        "http://[::1]/                        | loopback",
        "http://[::127.0.0.1]/                | 127.0.0.1",
        "http://0.0.0.0/                      | 0.0.0.0",
        "http://10.0.0.5/                     | private",
        "http://172.16.3.4/                   | private",
        "http://192.168.1.1/router.jpg        | private",
        "http://100.100.100.200/latest/meta-data/ | shared",
        "http://[fd00:ec2::254]/latest/meta-data/ | unique-local",
        "http://[fe80::1]/                    | link-local",
        "http://224.0.0.1/                    | multicast",
        "http://metadata.google.internal/computeMetadata/v1/ | metadata",
        "http://user:secret@localhost/a.jpg   | user",
        "file:///etc/passwd                   | http(s)",
        "gopher://localhost:6379/_INFO        | http(s)"
      })
  void internalAddressesAreRefusedInEverySpelling(String url, String because) {
    assertRefused(sendMedia(url), because);
  }

  /** Loopback by address is not exempt although {@code localhost} is: the exemption is by name. */
  @Test
  void theLoopbackServerByAddressIsRefused() {
    media.serve("/cat.jpg", "image/jpeg", JPEG);

    assertRefused(
        sendMedia("http://127.0.0.1:" + media.port() + "/cat.jpg"), "127.0.0.1", "loopback");
    assertThat(media.requested()).isEmpty();
  }

  /** Stickers and GIFs take a media_url too. */
  @Test
  void stickerAndGifEndpointsAreGuardedToo() {
    assertRefused(
        tenant
            .api()
            .post(
                "/api/v2/messages/send/sticker",
                body(Map.of("media_url", "http://169.254.169.254/s.webp"))),
        "link-local");
    assertRefused(
        tenant
            .api()
            .post(
                "/api/v2/messages/send/gif",
                body(Map.of("media_url", "http://[::ffff:127.0.0.1]/g.mp4"))),
        "loopback");
  }

  /** Bulk send: a campaign whose media_url is the metadata service. */
  @Test
  void aCampaignWithAnInternalMediaUrlIsRefused() {
    var group =
        new TestGroups(jdbc)
            .create(tenant.id(), List.of(TestGroups.Member.of("4915100009001", "Ana")));

    Api.Response refused =
        tenant
            .api()
            .post(
                "/api/v2/bulk-send",
                Map.of(
                    "session_id", session,
                    "custom_group_id", group.toString(),
                    "message_type", "media",
                    "media_url", "http://2852039166/latest/meta-data/",
                    "message_content", "Our offer"));

    assertRefused(refused, "169.254.169.254");
  }

  /**
   * Bulk send: media is downloaded by Flowmate for each message too, so a host that redirects to
   * the metadata service fails each recipient with the reason and nothing is sent.
   */
  @Test
  void aCampaignsMediaHostThatRedirectsInsideFailsItsRecipients() {
    media.redirect("/offer.jpg", "http://169.254.169.254/latest/meta-data/");
    var group =
        new TestGroups(jdbc)
            .create(tenant.id(), List.of(TestGroups.Member.of("4915100009003", "Ana")));

    Api.Response created =
        tenant
            .api()
            .post(
                "/api/v2/bulk-send",
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_type",
                    "media",
                    "media_url",
                    media.url("/offer.jpg"),
                    "message_content",
                    "Our offer"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> "completed".equals(tenant.api().get("/api/v2/bulk-send/" + id).text("status")));
    JsonNode failed =
        tenant.api().get("/api/v2/bulk-send/" + id + "/recipients?status=failed").json();
    assertThat(failed.get("total").asInt()).isEqualTo(1);
    assertThat(failed.get("items").get(0).get("failure_reason").asText())
        .contains("redirect", "not followed");
    assertThat(deliveries()).isEmpty();
  }

  /** Scheduled send: a schedule whose media_url is a mapped IPv6 form of the metadata service. */
  @Test
  void aScheduleWithAnInternalMediaUrlIsRefused() {
    Api.Response refused =
        tenant
            .api()
            .post(
                "/api/v2/scheduled-messages",
                Map.of(
                    "session_id",
                    session,
                    "chat_id",
                    "4915100009002",
                    "schedule_type",
                    "one_time",
                    "scheduled_time",
                    Instant.now()
                        .plus(2, ChronoUnit.HOURS)
                        .atOffset(ZoneOffset.UTC)
                        .toLocalDateTime()
                        .toString(),
                    "timezone",
                    "UTC",
                    "message_type",
                    "media",
                    "media_url",
                    "http://[::ffff:169.254.169.254]/latest/meta-data/"));

    assertRefused(refused, "169.254.169.254");
  }

  /**
   * A redirect from an allowed host to the metadata service is not followed: the message fails with
   * the reason and nothing reaches WhatsApp.
   */
  @Test
  void aRedirectFromAnAllowedHostToMetadataIsNotFollowed() {
    media.redirect("/cat.jpg", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");

    Api.Response accepted = sendMedia(media.url("/cat.jpg"));

    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
    tenant.awaitMessageStatus(accepted.text("id"), "failed");
    assertThat(tenant.api().get("/api/v2/messages/" + accepted.text("id")).text("failure_reason"))
        .contains("redirect");
    assertThat(media.requested()).containsExactly("/cat.jpg");
    assertThat(deliveries()).isEmpty();
  }

  /** An HTML page passed off as an image is not sent as one. */
  @Test
  void anHtmlPageIsNotSentAsAnImage() {
    media.serve("/cat.jpg", "text/html; charset=utf-8", "<html>login</html>".getBytes());

    Api.Response accepted = sendMedia(media.url("/cat.jpg"));

    tenant.awaitMessageStatus(accepted.text("id"), "failed");
    assertThat(tenant.api().get("/api/v2/messages/" + accepted.text("id")).text("failure_reason"))
        .contains("text/html");
    assertThat(deliveries()).isEmpty();
  }

  /**
   * The transport never gets a user's URL to fetch (WAHA would fetch it from inside the network):
   * Flowmate downloads the media through the guard and hands over the bytes.
   */
  @Test
  void theTransportGetsTheBytesNotTheUrl() {
    media.serve("/cat.jpg", "image/jpeg", JPEG);

    Api.Response accepted = sendMedia(media.url("/cat.jpg"));

    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
    tenant.awaitMessageStatus(accepted.text("id"), "read");
    JsonNode delivered = deliveries().get(0).get("media");
    assertThat(delivered.get("url").isNull())
        .as("no URL handed to the transport: %s", delivered)
        .isTrue();
    assertThat(delivered.get("mimetype").asText()).isEqualTo("image/jpeg");
    assertThat(delivered.get("data_sha256").asText()).isEqualTo(sha256(JPEG));
    assertThat(media.requested()).containsExactly("/cat.jpg");
  }

  private Api.Response sendMedia(String url) {
    return tenant
        .api()
        .post(
            "/api/v2/messages/send/media",
            body(Map.of("media_type", "image", "media_url", url, "caption", "Look")));
  }

  private Map<String, Object> body(Map<String, Object> fields) {
    var body = new HashMap<String, Object>(fields);
    body.put("session_id", session);
    body.put("chat_id", "4915100009000");
    return body;
  }

  private long queuedMessages() {
    return jdbc.sql("SELECT count(*) FROM messaging_message WHERE tenant_id = :tenant")
        .param("tenant", tenant.id())
        .query(Long.class)
        .single();
  }

  private JsonNode deliveries() {
    return tenant.api().get("/api/v2/simulator/sessions/" + session + "/deliveries").json();
  }

  private static void assertRefused(Api.Response response, String... detailParts) {
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.text("detail"))
        .as(response.toString())
        .contains("media_url")
        .contains(detailParts);
  }

  private static String sha256(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
