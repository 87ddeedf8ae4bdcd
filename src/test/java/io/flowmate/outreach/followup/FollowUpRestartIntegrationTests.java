package io.flowmate.outreach.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.intent.TimerIntent;
import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.TestDatabase;
import io.flowmate.support.TestGroups;
import io.flowmate.workflow.EmbeddedEngine;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The embedded engine forgets its follow-up instances when Flowmate stops. On the next start each
 * waiting follow-up gets a new instance that waits only what is left until its due time, and a
 * round sent before the restart is not sent again.
 */
class FollowUpRestartIntegrationTests {

  private static final String ANNA = "4915100004001";
  private static final String FOLLOW_UP_TEXT = "Hi Anna, any thoughts on our offer?";

  private final TestDatabase.Coordinates database = TestDatabase.newDatabase();

  @Test
  void waitingFollowUpContinuesAfterARestartWithTheTimeLeftAndNoRoundTwice() {
    String key;
    String session;
    String rule;
    try (AppInstance first = AppInstance.start(database)) {
      Api.Response tenant =
          first
              .operator()
              .post("/api/v2/admin/tenants", Map.of("name", "follow-ups", "plan", "business"));
      key = tenant.text("admin_api_key");
      Api api = first.api(key);
      api.patch("/api/v2/tenant/settings", Map.of("reciprocity_check", false));
      session = api.post("/api/v2/sessions", Map.of("name", "phone")).text("id");
      api.post("/api/v2/sessions/" + session + "/start");
      awaitWorking(api, session);
      TestGroups audience = new TestGroups(first.bean(JdbcClient.class));
      UUID group =
          audience.create(
              UUID.fromString(tenant.json().get("tenant").get("id").asText()), List.of());
      audience.member(group, ANNA, "Anna", Map.of());
      FollowUpApi followUps = new FollowUpApi(api);
      rule =
          followUps.create(
              FollowUpApi.rule(session, group, "P1D", 2, "Hi {name}, any thoughts on our offer?"));
      followUps.send(session, ANNA, "Our offer");
      awaitWaitingInstance(followUps, rule, first.bean(EmbeddedEngine.class));

      // The first round goes before the restart.
      first.bean(EmbeddedEngine.class).increaseTime(Duration.ofDays(1).plusMinutes(1));
      followUps.awaitOnly(rule, "waiting", 1);
      await().atMost(Duration.ofSeconds(15)).until(() -> followUpsDelivered(api, session) == 1);
    }
    // 22 of the 24 hours pass while Flowmate is down: two are left.
    Instant dueAt = Instant.now().plus(Duration.ofHours(2));
    int moved =
        JdbcClient.create(
                new DriverManagerDataSource(
                    database.url(), database.username(), database.password()))
            .sql(
                "UPDATE outreach_follow_up SET due_at = :due WHERE rule_id = :rule AND status = 'waiting'")
            .param("due", Timestamp.from(dueAt))
            .param("rule", UUID.fromString(rule))
            .update();
    assertThat(moved).isEqualTo(1);

    try (AppInstance second = AppInstance.start(database)) {
      Api api = second.api(key);
      awaitWorking(api, session);
      FollowUpApi followUps = new FollowUpApi(api);
      EmbeddedEngine engine = second.bean(EmbeddedEngine.class);
      long instance = awaitWaitingInstance(followUps, rule, engine);

      engine.increaseTime(Duration.ofMinutes(110));
      assertThat(timers(engine, instance, TimerIntent.TRIGGERED))
          .as("fired before the time left")
          .isZero();
      engine.increaseTime(Duration.ofMinutes(11));
      assertThat(timers(engine, instance, TimerIntent.TRIGGERED)).isEqualTo(1);

      followUps.awaitOnly(rule, "completed", 2);
      await().atMost(Duration.ofSeconds(15)).until(() -> followUpsDelivered(api, session) == 1);
      // This instance of the simulator only saw round 2: round 1 was not queued again.
      Api.Response messages = api.get("/api/v2/simulator/sessions/" + session + "/deliveries");
      assertThat(messages.json().findValuesAsText("body")).containsExactly(FOLLOW_UP_TEXT);
    }
  }

  private static void awaitWorking(Api api, String session) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> "working".equals(api.get("/api/v2/sessions/" + session).text("status")));
  }

  /**
   * Waits until the rule's follow-up has an instance in this engine that waits on its timer (keys
   * of a restarted embedded engine may repeat, so the engine's own records tell).
   */
  private static long awaitWaitingInstance(
      FollowUpApi followUps, String rule, EmbeddedEngine engine) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> {
          var items = followUps.followUps(rule);
          JsonNode key = items.isEmpty() ? null : items.getFirst().get("process_instance_key");
          if (key == null || !key.isNumber()) {
            return false;
          }
          return timers(engine, key.asLong(), TimerIntent.CREATED) == 1;
        });
    return followUps.followUps(rule).getFirst().get("process_instance_key").asLong();
  }

  private static long timers(EmbeddedEngine engine, long instance, TimerIntent intent) {
    engine.waitForIdleState(Duration.ofSeconds(5));
    return StreamSupport.stream(
            RecordStream.of(engine.recordStream()).timerRecords().spliterator(), false)
        .filter(r -> r.getIntent() == intent && r.getValue().getProcessInstanceKey() == instance)
        .count();
  }

  private static int followUpsDelivered(Api api, String session) {
    return Collections.frequency(
        api.get("/api/v2/simulator/sessions/" + session + "/deliveries")
            .json()
            .findValuesAsText("body"),
        FOLLOW_UP_TEXT);
  }
}
