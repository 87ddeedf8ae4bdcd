package io.flowmate.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * What the tests of every kind of schedule (scheduled messages, scheduled reports) share: an
 * application context of their own whose clock is the engine's (moving time makes timers fire and
 * Flowmate's "now" follow; other test classes never see it), and helpers over the API every
 * schedule has: {@code POST <path>}, {@code GET <path>/<id>}, {@code GET <path>/<id>/<history>},
 * {@code POST <path>/<id>/cancel}.
 */
@Import(EngineClock.Config.class)
public abstract class ScheduleTestSupport extends IntegrationTest {

  @Autowired protected EmbeddedEngine engine;
  @Autowired protected EngineClock clock;
  @Autowired protected JdbcClient jdbc;

  private final String path;
  private final String historyPath;
  private final List<TestTenant> tenants = new ArrayList<>();

  /**
   * @param path the schedules' collection, e.g. {@code /api/v2/reports}
   * @param historyPath the segment of a schedule's runs, e.g. {@code runs}
   */
  protected ScheduleTestSupport(String path, String historyPath) {
    this.path = path;
    this.historyPath = historyPath;
  }

  /** The tenant, whose schedules are cancelled after the test. */
  protected TestTenant cancelledAfterTheTest(TestTenant tenant) {
    tenants.add(tenant);
    return tenant;
  }

  /** Leaves no active schedule behind to fire while later tests move the clock. */
  @AfterEach
  protected void cancelSchedules() {
    for (TestTenant tenant : tenants) {
      for (JsonNode schedule : tenant.api().get(path + "?limit=100").json().get("items")) {
        if (List.of("active", "paused").contains(schedule.get("status").asText())) {
          tenant.api().post(path + "/" + schedule.get("id").asText() + "/cancel");
        }
      }
    }
  }

  protected EngineRecords records() {
    return new EngineRecords(engine);
  }

  protected Api.Response create(TestTenant tenant, Map<String, Object> body) {
    return tenant.api().post(path, body);
  }

  /** Creates the schedule, checks it was accepted, and waits until its timer is set. */
  protected String createWaiting(TestTenant tenant, Map<String, Object> body) {
    Api.Response created = create(tenant, body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    awaitTimer(tenant, id);
    return id;
  }

  protected JsonNode schedule(TestTenant tenant, String id) {
    Api.Response schedule = tenant.api().get(path + "/" + id);
    assertThat(schedule.status()).as(schedule.toString()).isEqualTo(200);
    return schedule.json();
  }

  protected Instant nextRunAt(TestTenant tenant, String id) {
    String next = schedule(tenant, id).get("next_run_at").asText(null);
    assertThat(next).as("next_run_at of " + id).isNotNull();
    return Instant.parse(next);
  }

  protected long processInstance(TestTenant tenant, String id) {
    return schedule(tenant, id).get("process_instance_key").asLong();
  }

  /** Waits until the schedule's instance waits on a timer for its current next_run_at. */
  protected void awaitTimer(TestTenant tenant, String id) {
    records().awaitTimerForNextRun(() -> schedule(tenant, id));
  }

  /** Moves time just past the schedule's next run and waits until the run is recorded. */
  protected Instant runNext(TestTenant tenant, String id) {
    Instant next = nextRunAt(tenant, id);
    int before = history(tenant, id).size();
    clock.travelPast(next);
    awaitHistory(tenant, id, before + 1);
    return next;
  }

  /** The schedule's runs, newest first. */
  protected List<JsonNode> history(TestTenant tenant, String id) {
    Api.Response history = tenant.api().get(path + "/" + id + "/" + historyPath + "?limit=100");
    assertThat(history.status()).as(history.toString()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    history.json().get("items").forEach(items::add);
    return items;
  }

  protected List<JsonNode> awaitHistory(TestTenant tenant, String id, int size) {
    await().atMost(Duration.ofSeconds(15)).until(() -> history(tenant, id).size() >= size);
    return history(tenant, id);
  }
}
