package io.flowmate.outreach.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.TestDatabase;
import io.flowmate.workflow.Processes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Flowmate stopped while schedules wait and started again on the same database with a new embedded
 * engine that knows nothing of them: every active and paused schedule gets a new instance; an
 * occurrence that fell due while Flowmate was down is sent once, late, if it is within the grace
 * period (1 h), else recorded as missed.
 */
class ScheduledMessageRestartIntegrationTests {

  private final TestDatabase.Coordinates database = TestDatabase.newDatabase();

  @Test
  void occurrencesDueWhileDownAreSentLateWithinTheGraceElseRecordedAsMissed() throws Exception {
    String key;
    String session;
    String late;
    String tooLate;
    String paused;
    String epochBefore;
    try (AppInstance first = AppInstance.start(database)) {
      Api.Response tenant =
          first
              .operator()
              .post("/api/v2/admin/tenants", Map.of("name", "restart", "plan", "starter"));
      key = tenant.text("admin_api_key");
      Api api = first.api(key);
      api.patch("/api/v2/tenant/settings", Map.of("reciprocity_check", false));
      session = api.post("/api/v2/sessions", Map.of("name", "phone")).text("id");
      api.post("/api/v2/sessions/" + session + "/start");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "working".equals(api.get("/api/v2/sessions/" + session).text("status")));
      LocalDateTime inTwoDays =
          LocalDateTime.now(ZoneOffset.UTC).plusDays(2).truncatedTo(ChronoUnit.MINUTES);
      late = create(api, session, "weekly", inTwoDays, "4915100003001", "Late, but sent once");
      tooLate = create(api, session, "daily", inTwoDays, "4915100003002", "Too late to send");
      paused = create(api, session, "weekly", inTwoDays, "4915100003003", "Paused before the stop");
      assertThat(api.post("/api/v2/scheduled-messages/" + paused + "/pause").status())
          .isEqualTo(200);
      epochBefore = first.bean(Processes.class).epoch();
      assertThat(engineEpoch(late)).isEqualTo(epochBefore);
    }
    // While Flowmate is down, two occurrences fall due: 10 minutes ago and 3 hours ago.
    Instant tenMinutesAgo =
        Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
    Instant threeHoursAgo =
        Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
    setNextRun(late, tenMinutesAgo);
    setNextRun(tooLate, threeHoursAgo);

    try (AppInstance second = AppInstance.start(database)) {
      Api api = second.api(key);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> history(api, late).size() == 1 && history(api, tooLate).size() == 1);

      JsonNode sent = history(api, late).get(0);
      assertThat(sent.get("status").asText()).isEqualTo("executed");
      assertThat(sent.get("occurrence").asText()).isEqualTo(tenMinutesAgo.toString());
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> assertThat(deliveries(api, session)).containsExactly("Late, but sent once"));
      JsonNode missed = history(api, tooLate).get(0);
      assertThat(missed.get("status").asText()).isEqualTo("missed");
      assertThat(missed.get("occurrence").asText()).isEqualTo(threeHoursAgo.toString());
      assertThat(missed.get("error").asText()).contains("not sent");
      for (String id : new String[] {late, tooLate}) {
        JsonNode schedule = api.get("/api/v2/scheduled-messages/" + id).json();
        assertThat(Instant.parse(schedule.get("next_run_at").asText()))
            .as(id)
            .isAfter(Instant.now());
      }
      // Each has an instance of the new engine (keys repeat between engine starts; epochs do not).
      String epoch = second.bean(Processes.class).epoch();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> {
            for (String id : List.of(late, tooLate, paused)) {
              assertThat(engineEpoch(id)).as(id).isEqualTo(epoch).isNotEqualTo(epochBefore);
              assertThat(instance(api, id)).as(id).isNotNull();
            }
          });
      assertThat(api.get("/api/v2/scheduled-messages/" + paused).text("status"))
          .isEqualTo("paused");
      assertThat(history(api, paused)).isEmpty();
      assertThat(deliveries(api, session)).containsExactly("Late, but sent once");
    }
  }

  private static String create(
      Api api, String session, String type, LocalDateTime at, String chat, String text) {
    Api.Response created =
        api.post(
            "/api/v2/scheduled-messages",
            Map.of(
                "session_id", session,
                "chat_id", chat,
                "schedule_type", type,
                "scheduled_time", at.toString(),
                "message_content", text));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> instance(api, id) != null);
    return id;
  }

  private static Long instance(Api api, String id) {
    JsonNode key = api.get("/api/v2/scheduled-messages/" + id).json().get("process_instance_key");
    return key == null || key.isNull() ? null : key.asLong();
  }

  private static List<JsonNode> history(Api api, String id) {
    List<JsonNode> items = new ArrayList<>();
    api.get("/api/v2/scheduled-messages/" + id + "/history")
        .json()
        .get("items")
        .forEach(items::add);
    return items;
  }

  private static List<String> deliveries(Api api, String session) {
    return api.get("/api/v2/simulator/sessions/" + session + "/deliveries")
        .json()
        .findValuesAsText("body");
  }

  private String engineEpoch(String schedule) throws Exception {
    try (Connection c =
            DriverManager.getConnection(database.url(), database.username(), database.password());
        PreparedStatement query =
            c.prepareStatement(
                "SELECT engine_epoch FROM outreach_scheduled_message WHERE id = ?")) {
      query.setObject(1, UUID.fromString(schedule));
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        return row.getString(1);
      }
    }
  }

  private void setNextRun(String schedule, Instant at) throws Exception {
    try (Connection c =
            DriverManager.getConnection(database.url(), database.username(), database.password());
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE outreach_scheduled_message SET next_run_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(at));
      update.setObject(2, UUID.fromString(schedule));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
