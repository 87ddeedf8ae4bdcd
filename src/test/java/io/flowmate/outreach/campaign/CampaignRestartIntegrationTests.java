package io.flowmate.outreach.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.TestDatabase;
import io.flowmate.support.TestGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Flowmate stopped in the middle of a campaign and started again on the same database, with a new
 * embedded engine that knows nothing of it: the campaign goes on where it stood and every member
 * gets the message exactly once (0 lost, 0 duplicates), and it completes within seconds of its last
 * message settling. The second start keeps the job workers' production poll interval (a minute, the
 * test profile polls every second): a re-created instance whose job the workers' streams missed
 * would only complete at that poll.
 */
class CampaignRestartIntegrationTests {

  private static final int MEMBERS = 40;

  private final TestDatabase.Coordinates database = TestDatabase.newDatabase();

  @Test
  void aCampaignStoppedMidwayContinuesAfterARestartWithNothingLostOrSentTwice() {
    String key;
    String session;
    String job;
    List<String> deliveredBefore;
    // First run: paced at about one message a second so that the stop comes mid-campaign.
    try (AppInstance first =
        AppInstance.start(
            database,
            Map.of(
                "flowmate.messaging.governor.pacing",
                true,
                "flowmate.outreach.campaigns.minimum-delay",
                "0s"))) {
      Api.Response tenant =
          first
              .operator()
              .post("/api/v2/admin/tenants", Map.of("name", "restart", "plan", "business"));
      key = tenant.text("admin_api_key");
      Api api = first.api(key);
      api.patch("/api/v2/tenant/settings", Map.of("reciprocity_check", false));
      session = api.post("/api/v2/sessions", Map.of("name", "phone")).text("id");
      api.post("/api/v2/sessions/" + session + "/start");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "working".equals(api.get("/api/v2/sessions/" + session).text("status")));
      TestGroups groups = new TestGroups(first.bean(JdbcClient.class));
      UUID group =
          groups.create(UUID.fromString(tenant.json().get("tenant").get("id").asText()), List.of());
      groups.addGenerated(group, MEMBERS);
      Api.Response created =
          api.post(
              "/api/v2/bulk-send",
              Map.of(
                  "session_id",
                  session,
                  "custom_group_id",
                  group.toString(),
                  "message_content",
                  "Hi {name}",
                  "delay_min_seconds",
                  0,
                  "delay_max_seconds",
                  1));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      job = created.text("id");
      await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(api, session).size() >= 3);
      deliveredBefore = deliveries(api, session);
    }
    assertThat(deliveredBefore.size()).as("stopped mid-campaign").isLessThan(MEMBERS);

    try (AppInstance second =
        AppInstance.start(database, Map.of("camunda.client.worker.defaults.poll-interval", "1m"))) {
      Api api = second.api(key);
      await()
          // Past the minute poll, so that a late completion fails on the assertion that says so.
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(() ->
              assertThat(api.get("/api/v2/bulk-send/" + job).text("status"))
                  .isEqualTo("completed"));
      List<String> all = new ArrayList<>(deliveredBefore);
      all.addAll(deliveries(api, session));

      assertThat(all).as("nothing sent twice").doesNotHaveDuplicates();
      assertThat(new HashSet<>(all)).as("nothing lost").hasSize(MEMBERS);
      Api.Response done = api.get("/api/v2/bulk-send/" + job);
      assertThat(done.json().get("sent_count").asInt()).isEqualTo(MEMBERS);
      assertThat(done.json().get("failed_count").asInt()).isZero();
      Instant lastSettled =
          api
              .get("/api/v2/bulk-send/" + job + "/recipients?limit=100")
              .json()
              .get("items")
              .findValuesAsText("sent_at")
              .stream()
              .map(Instant::parse)
              .max(Comparator.naturalOrder())
              .orElseThrow();
      Instant completed = Instant.parse(done.text("completed_at"));
      assertThat(Duration.between(lastSettled, completed))
          .as("completed as soon as the last message settled, not on a fallback")
          .isLessThan(Duration.ofSeconds(5));
    }
  }

  private static List<String> deliveries(Api api, String session) {
    return api.get("/api/v2/simulator/sessions/" + session + "/deliveries")
        .json()
        .findValuesAsText("body");
  }
}
