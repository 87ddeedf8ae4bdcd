package io.flowmate.leads.groups;

import static io.flowmate.leads.groups.GroupMonitoringIntegrationTests.GROUPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Detection's queue lives in memory, so what a monitored group received but nobody examined (a
 * crash, or detection switched off) must be examined on the next start, and nothing twice. The
 * first instance runs with detection off: the group's messages are stored but not examined; the
 * second examines them once.
 */
class GroupDetectionRestartIntegrationTests {

  private final TestDatabase.Coordinates database = TestDatabase.newDatabase();

  @Test
  void messagesNobodyExaminedAreExaminedOnTheNextStartAndNoneTwice() {
    String key;
    String group;
    try (AppInstance first =
        AppInstance.start(database, Map.of("flowmate.leads.groups.detection", false))) {
      key =
          first
              .operator()
              .post("/api/v2/admin/tenants", Map.of("name", "groups", "plan", "business"))
              .text("admin_api_key");
      Api api = first.api(key);
      String session = api.post("/api/v2/sessions", Map.of("name", "phone")).text("id");
      api.post("/api/v2/sessions/" + session + "/start");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> "working".equals(api.get("/api/v2/sessions/" + session).text("status")));
      String wa =
          api.post(
                  "/api/v2/simulator/sessions/" + session + "/groups",
                  Map.of("subject", "Lisbon flats", "participants", List.of("4915100008001")))
              .text("group_id");
      Api.Response monitored =
          api.post(
              GROUPS,
              Map.of(
                  "session_id",
                  session,
                  "wa_group_id",
                  wa,
                  "monitor_mode",
                  "keywords",
                  "monitor_keywords",
                  List.of("budget")));
      assertThat(monitored.status()).as(monitored.toString()).isEqualTo(201);
      group = monitored.text("id");
      for (String[] message :
          List.of(
              new String[] {"4915100008001", "Our budget is 300k"},
              new String[] {"4915100008002", "Hello everyone"},
              new String[] {"4915100008003", "What budget do you need?"})) {
        Api.Response sent =
            api.post(
                "/api/v2/simulator/sessions/" + session + "/inbound",
                Map.of("from", message[0], "group_id", wa, "message", message[1]));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
      }
      JdbcClient jdbc = first.bean(JdbcClient.class);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() ->
              jdbc.sql("SELECT count(*) FROM messaging_message WHERE chat_id = :chat")
                      .param("chat", wa)
                      .query(Long.class)
                      .single()
                  == 3);
      assertThat(api.get(GROUPS + "/" + group).json().get("messages_processed").asLong()).isZero();
      assertThat(api.get("/api/v2/leads").json().get("total").asLong()).isZero();
    }

    try (AppInstance second = AppInstance.start(database)) {
      Api api = second.api(key);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> api.get(GROUPS + "/" + group).json().get("messages_processed").asLong() == 3);
      assertThat(api.get(GROUPS + "/" + group).json().get("leads_detected").asLong()).isEqualTo(2);
      assertThat(
              api.get("/api/v2/leads?source_group_id=" + group)
                  .json()
                  .get("leads")
                  .findValuesAsText("contact_phone"))
          .containsExactlyInAnyOrder("4915100008001", "4915100008003");
      assertThat(second.bean(GroupDetection.class).examined())
          .as("each message examined once")
          .isEqualTo(3);
      assertThat(
              second
                  .bean(JdbcClient.class)
                  .sql(
                      "SELECT count(*) FROM leads_group_message WHERE group_id = :group AND is_match")
                  .param("group", UUID.fromString(group))
                  .query(Long.class)
                  .single())
          .isEqualTo(2);
    }
  }
}
