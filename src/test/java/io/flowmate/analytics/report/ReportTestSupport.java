package io.flowmate.analytics.report;

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

/**
 * What the report tests share: an application context of their own whose clock is the engine's
 * (moving time makes timers fire and Flowmate's "now" follow; other test classes never see it),
 * and helpers to create reports, wait for their timers and read their runs.
 */
@Import(EngineClock.Config.class)
abstract class ReportTestSupport extends IntegrationTest {

  static final String REPORTS = "/api/v2/reports";

  @Autowired EmbeddedEngine engine;
  @Autowired EngineClock clock;
  @Autowired JdbcClient jdbc;

  private final List<TestTenant> tenants = new ArrayList<>();

  /** A business-plan tenant whose reports are cancelled after the test. */
  TestTenant tenant() {
    return tenant("business");
  }

  TestTenant tenant(String plan) {
    TestTenant tenant = newTenant(plan);
    tenants.add(tenant);
    return tenant;
  }

  /** Leaves no active report behind to fire while later tests move the clock. */
  @AfterEach
  void cancelReports() {
    for (TestTenant tenant : tenants) {
      for (JsonNode report : tenant.api().get(REPORTS + "?limit=100").json().get("items")) {
        if (List.of("active", "paused").contains(report.get("status").asText())) {
          tenant.api().post(REPORTS + "/" + report.get("id").asText() + "/cancel");
        }
      }
    }
  }

  EngineRecords records() {
    return new EngineRecords(engine);
  }

  /** Creates the report, checks it was accepted, and waits until its timer is set. */
  String createWaiting(TestTenant tenant, Map<String, Object> body) {
    Api.Response created = tenant.api().post(REPORTS, body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    awaitTimer(tenant, id);
    return id;
  }

  JsonNode report(TestTenant tenant, String id) {
    Api.Response report = tenant.api().get(REPORTS + "/" + id);
    assertThat(report.status()).as(report.toString()).isEqualTo(200);
    return report.json();
  }

  Instant nextRunAt(TestTenant tenant, String id) {
    String next = report(tenant, id).get("next_run_at").asText(null);
    assertThat(next).as("next_run_at of " + id).isNotNull();
    return Instant.parse(next);
  }

  long processInstance(TestTenant tenant, String id) {
    return report(tenant, id).get("process_instance_key").asLong();
  }

  /** Waits until the report's instance waits on a timer for its current next_run_at. */
  void awaitTimer(TestTenant tenant, String id) {
    records().awaitTimerForNextRun(() -> report(tenant, id));
  }


  /** Moves time just past the report's next run and waits until the run is recorded. */
  Instant runNext(TestTenant tenant, String id) {
    Instant next = nextRunAt(tenant, id);
    int before = runs(tenant, id).size();
    clock.travelPast(next);
    awaitRuns(tenant, id, before + 1);
    return next;
  }

  /** The report's runs, newest first. */
  List<JsonNode> runs(TestTenant tenant, String id) {
    Api.Response runs = tenant.api().get(REPORTS + "/" + id + "/runs?limit=100");
    assertThat(runs.status()).as(runs.toString()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    runs.json().get("items").forEach(items::add);
    return items;
  }

  List<JsonNode> awaitRuns(TestTenant tenant, String id, int size) {
    await().atMost(Duration.ofSeconds(15)).until(() -> runs(tenant, id).size() >= size);
    return runs(tenant, id);
  }

  /** One run with its text and JSON. */
  JsonNode run(TestTenant tenant, String id, String runId) {
    Api.Response run = tenant.api().get(REPORTS + "/" + id + "/runs/" + runId);
    assertThat(run.status()).as(run.toString()).isEqualTo(200);
    return run.json();
  }

  void awaitCompleted(long instance, String element) {
    await().atMost(Duration.ofSeconds(10)).until(() -> records().completedElements(instance).contains(element));
  }

  /** Enters a lead by hand. */
  String lead(TestTenant tenant, String phone, String name, String sourceGroup) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("contact_phone", phone);
    body.put("contact_name", name);
    if (sourceGroup != null) {
      body.put("source_group_id", java.util.UUID.nameUUIDFromBytes(sourceGroup.getBytes()).toString());
      body.put("source_group_name", sourceGroup);
    }
    Api.Response created = tenant.api().post("/api/v2/leads", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  void moveLead(TestTenant tenant, String lead, String status) {
    Api.Response moved = tenant.api().patch("/api/v2/leads/" + lead + "/status", Map.of("status", status));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
  }
}
