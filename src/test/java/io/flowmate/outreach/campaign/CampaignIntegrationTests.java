package io.flowmate.outreach.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestGroups;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The bulk-send API over HTTP: MoltFlow's fields, validation with reasons, plan limits, scopes,
 * idempotent creation, per-recipient status, the SSE progress stream, filters and personalisation,
 * policy refusals reported per recipient, and tenant isolation.
 */
class CampaignIntegrationTests extends IntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired JdbcClient jdbc;

  private TestGroups groups;
  private TestTenant tenant;
  private String session;

  @BeforeEach
  void setUp() {
    groups = new TestGroups(jdbc);
    tenant = newTenant().allowingColdMessages();
    session = tenant.workingSession();
  }

  @Test
  void aJobSendsToEveryMemberAndReportsMoltFlowFields() {
    UUID group =
        groups.create(
            tenant.id(),
            List.of(
                TestGroups.Member.of("4915100000801", "Ana"),
                TestGroups.Member.of("4915100000802", "Ben")));

    Api.Response created =
        create(
            Map.of(
                "session_id",
                session,
                "custom_group_id",
                group.toString(),
                "message_content",
                "Hello {name}"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode job = created.json();
    assertThat(job.get("session_id").asText()).isEqualTo(session);
    assertThat(job.get("custom_group_id").asText()).isEqualTo(group.toString());
    assertThat(job.get("total_recipients").asInt()).isEqualTo(2);
    assertThat(job.get("sent_count").asInt()).isZero();
    assertThat(job.get("failed_count").asInt()).isZero();
    assertThat(job.get("delay_min_seconds").asInt()).isEqualTo(30);
    assertThat(job.get("delay_max_seconds").asInt()).isEqualTo(120);
    assertThat(job.has("created_at")).isTrue();
    String id = job.get("id").asText();
    awaitStatus(id, "completed");
    Api.Response detail = tenant.api().get("/api/v2/bulk-send/" + id);
    assertThat(detail.json().get("sent_count").asInt()).isEqualTo(2);
    assertThat(detail.json().get("recipients").findValuesAsText("chat_id"))
        .containsExactlyInAnyOrder("4915100000801@c.us", "4915100000802@c.us");
    assertThat(tenant.deliveredTexts(session)).containsExactlyInAnyOrder("Hello Ana", "Hello Ben");
    JsonNode listed = tenant.api().get("/api/v2/bulk-send").json().get("items").get(0);
    assertThat(listed.get("id").asText()).isEqualTo(id);
    assertThat(listed.get("sent_count").asInt())
        .as("the list counts each job's messages too")
        .isEqualTo(2);
    assertThat(listed.get("total_recipients").asInt()).isEqualTo(2);
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    UUID group = groups.create(tenant.id(), List.of(TestGroups.Member.of("4915100000811", "Ana")));
    UUID empty = groups.create(tenant.id(), List.of());
    Map<String, Object> valid =
        Map.of("session_id", session, "custom_group_id", group.toString(), "message_content", "Hi");

    assertRefused(with(valid, "message_content", ""), 422, "message_content is required");
    assertRefused(with(valid, "message_content", "x".repeat(4097)), 422, "4097 characters");
    assertRefused(
        with(valid, "message_type", "sticker"), 422, "message_type must be 'text' or 'media'");
    assertRefused(with(valid, "message_type", "media"), 422, "media_url must be an http(s) URL");
    assertRefused(
        with(valid, "message_content", "Hi {first_name"), 422, "'{' without a matching '}'");
    assertRefused(with(valid, "message_content", "{Hi||Hello}"), 422, "empty option");
    assertRefused(
        with(valid, "delay_min_seconds", 5), 422, "delay_min_seconds must be at least 30");
    assertRefused(
        with(with(valid, "delay_min_seconds", 60), "delay_max_seconds", 50),
        422,
        "delay_max_seconds must be between");
    assertRefused(with(valid, "custom_group_id", empty.toString()), 422, "has no members");
    assertRefused(
        with(valid, "custom_group_id", UUID.randomUUID().toString()), 404, "Custom group");
    assertRefused(with(valid, "session_id", UUID.randomUUID().toString()), 404, "Session");
    assertRefused(
        with(valid, "filter", Map.of("plan", "gold")), 422, "no members that match the filter");
    assertThat(tenant.api().get("/api/v2/bulk-send?status=bogus").status()).isEqualTo(422);
    assertThat(tenant.api().get("/api/v2/bulk-send").json().get("total").asInt()).isZero();
  }

  @Test
  void theFreePlanHasNoBulkSend() {
    TestTenant free = newTenant("free");
    String freeSession = free.workingSession();
    UUID group = groups.create(free.id(), List.of(TestGroups.Member.of("4915100000821", "Ana")));

    Api.Response refused =
        free.api()
            .post(
                "/api/v2/bulk-send",
                Map.of(
                    "session_id",
                    freeSession,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "Hi"));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text("detail")).contains("not included in the Free plan");
  }

  @Test
  void creatingWithTheSameIdempotencyKeyReturnsTheFirstJob() {
    UUID group = groups.create(tenant.id(), List.of(TestGroups.Member.of("4915100000831", "Ana")));
    Map<String, Object> body =
        Map.of(
            "session_id",
            session,
            "custom_group_id",
            group.toString(),
            "message_content",
            "Once only");

    Api.Response first =
        tenant.api().withHeader("Idempotency-Key", "job-1").post("/api/v2/bulk-send", body);
    Api.Response again =
        tenant.api().withHeader("Idempotency-Key", "job-1").post("/api/v2/bulk-send", body);
    Api.Response reused =
        tenant
            .api()
            .withHeader("Idempotency-Key", "job-1")
            .post("/api/v2/bulk-send", with(body, "message_content", "Other"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("id")).isEqualTo(first.text("id"));
    assertThat(reused.status()).isEqualTo(422);
    awaitStatus(first.text("id"), "completed");
    assertThat(tenant.deliveredTexts(session)).containsExactly("Once only");
  }

  @Test
  void filtersCustomFieldsAndSpinTextShapeEachMessage() {
    UUID group =
        groups.create(
            tenant.id(),
            List.of(
                new TestGroups.Member(
                    "4915100000841", "Ana Lima", Map.of("unpaid", "yes", "amount", "40 €")),
                new TestGroups.Member(
                    "4915100000842", "Ben Okafor", Map.of("unpaid", "no", "amount", "0 €")),
                new TestGroups.Member(
                    "4915100000843", "Chloé", Map.of("unpaid", "yes", "amount", "12 €"))));

    String id =
        create(
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "{Hi|Hello} {first_name}, {amount} are still open.",
                    "filter",
                    Map.of("unpaid", "yes")))
            .text("id");

    awaitStatus(id, "completed");
    assertThat(tenant.deliveredTexts(session))
        .hasSize(2)
        .anyMatch(t -> t.matches("(Hi|Hello) Ana, 40 € are still open\\."))
        .anyMatch(t -> t.matches("(Hi|Hello) Chloé, 12 € are still open\\."));
  }

  @Test
  void aRecipientThePolicyRefusesFailsWithTheReasonAndTheJobStillCompletes() {
    UUID group =
        groups.create(
            tenant.id(),
            List.of(
                TestGroups.Member.of("4915100000851", "Ana"),
                TestGroups.Member.of("4915100000852", "Ben")));
    tenant.contactWrites(session, "4915100000852", "STOP");

    String id =
        create(
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "Offer"))
            .text("id");

    awaitStatus(id, "completed");
    Api.Response failed = tenant.api().get("/api/v2/bulk-send/" + id + "/recipients?status=failed");
    assertThat(failed.json().get("total").asInt()).isEqualTo(1);
    assertThat(failed.json().get("items").get(0).get("chat_id").asText())
        .isEqualTo("4915100000852@c.us");
    assertThat(failed.json().get("items").get(0).get("failure_reason").asText())
        .contains("opted out");
    assertThat(tenant.api().get("/api/v2/bulk-send/" + id).json().get("failed_count").asInt())
        .isEqualTo(1);
  }

  @Test
  void theSameTextToTheSameMemberWithin24HoursFailsAsADuplicate() {
    UUID group = groups.create(tenant.id(), List.of(TestGroups.Member.of("4915100000871", "Ana")));
    Map<String, Object> body =
        Map.of(
            "session_id",
            session,
            "custom_group_id",
            group.toString(),
            "message_content",
            "Sale: {name}");
    String first = create(body).text("id");
    awaitStatus(first, "completed");

    String second = create(body).text("id");

    awaitStatus(second, "completed");
    Api.Response failed =
        tenant.api().get("/api/v2/bulk-send/" + second + "/recipients?status=failed");
    assertThat(failed.json().get("items").get(0).get("failure_reason").asText())
        .startsWith(
            "not sent: The same text already went (or is about to go) to 4915100000871@c.us within 24 h");
    assertThat(tenant.deliveredTexts(session)).containsExactly("Sale: Ana");
  }

  @Test
  void progressStreamsUntilTheJobEnds() throws Exception {
    UUID group = groups.create(tenant.id(), List.of());
    groups.addGenerated(group, 30);
    String id =
        create(
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "Streamed"))
            .text("id");

    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:"
                        + port
                        + "/api/v2/bulk-send/"
                        + id
                        + "/progress?ticket="
                        + io.flowmate.support.EventStream.ticket(tenant.api())))
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    List<JsonNode> events = new ArrayList<>();
    try (var reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data:")) {
          events.add(JSON.readTree(line.substring(5)));
        }
      }
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(events).isNotEmpty();
    JsonNode last = events.getLast();
    assertThat(last.get("status").asText()).isEqualTo("completed");
    assertThat(last.get("sent").asInt()).isEqualTo(30);
    assertThat(last.get("total").asInt()).isEqualTo(30);
    assertThat(last.get("failed").asInt()).isZero();
    assertThat(events.stream().map(e -> e.get("sent").asInt()).toList()).isSorted();
  }

  @Test
  void jobsAreScopedAndIsolatedPerTenant() {
    UUID group = groups.create(tenant.id(), List.of(TestGroups.Member.of("4915100000861", "Ana")));
    String id =
        create(
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "Mine"))
            .text("id");
    TestTenant other = newTenant();
    Api reader = tenant.keyWithScopes("bulk-send:read");

    assertThat(other.api().get("/api/v2/bulk-send/" + id).status()).isEqualTo(404);
    assertThat(other.api().post("/api/v2/bulk-send/" + id + "/cancel").status()).isEqualTo(404);
    assertThat(
            other
                .api()
                .post(
                    "/api/v2/bulk-send",
                    Map.of(
                        "session_id",
                        session,
                        "custom_group_id",
                        group.toString(),
                        "message_content",
                        "x"))
                .status())
        .isEqualTo(404);
    assertThat(reader.get("/api/v2/bulk-send/" + id).status()).isEqualTo(200);
    Api.Response denied = reader.post("/api/v2/bulk-send/" + id + "/pause");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.header("X-Required-Scopes")).isEqualTo("bulk-send:manage");
  }

  private Api.Response create(Map<String, Object> body) {
    return tenant.api().post("/api/v2/bulk-send", body);
  }

  private void assertRefused(Map<String, Object> body, int status, String detail) {
    Api.Response response = create(body);
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.text("detail")).contains(detail);
  }

  private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
    Map<String, Object> copy = new HashMap<>(body);
    copy.put(field, value);
    return copy;
  }

  private void awaitStatus(String id, String status) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() ->
            assertThat(tenant.api().get("/api/v2/bulk-send/" + id).text("status"))
                .isEqualTo(status));
  }
}
