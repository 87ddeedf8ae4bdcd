package io.flowmate.outreach.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.EngineClock;
import io.flowmate.support.EngineRecords;
import io.flowmate.support.IntegrationTest;
import io.flowmate.workflow.EmbeddedEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * What the scheduled-message tests share: an application context of their own whose clock is the
 * engine's (moving time makes timers fire and Flowmate's "now" follow; other test classes never
 * see it), pages of two members (so that paging through a group is exercised), and helpers.
 */
@Import(EngineClock.Config.class)
@TestPropertySource(properties = "flowmate.outreach.schedules.send-batch=2")
abstract class ScheduledMessageTestSupport extends IntegrationTest {

  @Autowired EmbeddedEngine engine;
  @Autowired EngineClock clock;
  @Autowired JdbcClient jdbc;

  private final List<TestTenant> tenants = new ArrayList<>();

  /** A tenant allowed to message anyone, whose schedules are cancelled after the test. */
  TestTenant tenant() {
    TestTenant tenant = newTenant().allowingColdMessages();
    tenants.add(tenant);
    return tenant;
  }

  /** Leaves no active schedule behind to fire while later tests move the clock. */
  @AfterEach
  void cancelSchedules() {
    for (TestTenant tenant : tenants) {
      for (JsonNode schedule : tenant.api().get("/api/v2/scheduled-messages?limit=100").json().get("items")) {
        if (List.of("active", "paused").contains(schedule.get("status").asText())) {
          tenant.api().post("/api/v2/scheduled-messages/" + schedule.get("id").asText() + "/cancel");
        }
      }
    }
  }

  EngineRecords records() {
    return new EngineRecords(engine);
  }

  Api.Response create(TestTenant tenant, Map<String, Object> body) {
    return tenant.api().post("/api/v2/scheduled-messages", body);
  }

  /** Creates the schedule, checks it was accepted, and waits until its timer is set. */
  String createWaiting(TestTenant tenant, Map<String, Object> body) {
    Api.Response created = create(tenant, body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    awaitTimer(tenant, id);
    return id;
  }

  JsonNode schedule(TestTenant tenant, String id) {
    Api.Response schedule = tenant.api().get("/api/v2/scheduled-messages/" + id);
    assertThat(schedule.status()).as(schedule.toString()).isEqualTo(200);
    return schedule.json();
  }

  Instant nextRunAt(TestTenant tenant, String id) {
    String next = schedule(tenant, id).get("next_run_at").asText(null);
    assertThat(next).as("next_run_at of " + id).isNotNull();
    return Instant.parse(next);
  }

  long processInstance(TestTenant tenant, String id) {
    return schedule(tenant, id).get("process_instance_key").asLong();
  }

  /** Waits until the schedule's instance waits on a timer for its current next_run_at. */
  void awaitTimer(TestTenant tenant, String id) {
    records().awaitTimerForNextRun(() -> schedule(tenant, id));
  }


  /** Moves time just past the schedule's next run and waits until the occurrence is recorded. */
  Instant runNextOccurrence(TestTenant tenant, String id) {
    Instant next = nextRunAt(tenant, id);
    int before = history(tenant, id).size();
    clock.travelPast(next);
    awaitHistory(tenant, id, before + 1);
    return next;
  }

  /** The schedule's runs, newest first. */
  List<JsonNode> history(TestTenant tenant, String id) {
    Api.Response history = tenant.api().get("/api/v2/scheduled-messages/" + id + "/history?limit=100");
    assertThat(history.status()).as(history.toString()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    history.json().get("items").forEach(items::add);
    return items;
  }

  List<JsonNode> awaitHistory(TestTenant tenant, String id, int size) {
    await().atMost(Duration.ofSeconds(15)).until(() -> history(tenant, id).size() >= size);
    return history(tenant, id);
  }

  /** Waits until the simulated phone received this many messages from the session. */
  List<String> awaitDeliveries(TestTenant tenant, String session, int count) {
    await().atMost(Duration.ofSeconds(15)).until(() -> tenant.deliveredTexts(session).size() >= count);
    return tenant.deliveredTexts(session);
  }
}
