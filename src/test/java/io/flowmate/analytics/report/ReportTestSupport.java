package io.flowmate.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.ScheduleTestSupport;
import java.time.Duration;
import java.util.Map;

/**
 * What the report tests share beyond every schedule's helpers: tenants on a plan, a report's runs,
 * and leads for the reports to count.
 */
abstract class ReportTestSupport extends ScheduleTestSupport {

  static final String REPORTS = "/api/v2/reports";

  ReportTestSupport() {
    super(REPORTS, "runs");
  }

  /** A business-plan tenant whose reports are cancelled after the test. */
  TestTenant tenant() {
    return tenant("business");
  }

  TestTenant tenant(String plan) {
    return cancelledAfterTheTest(newTenant(plan));
  }

  /** One run with its text and JSON. */
  JsonNode run(TestTenant tenant, String id, String runId) {
    Api.Response run = tenant.api().get(REPORTS + "/" + id + "/runs/" + runId);
    assertThat(run.status()).as(run.toString()).isEqualTo(200);
    return run.json();
  }

  void awaitCompleted(long instance, String element) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> records().completedElements(instance).contains(element));
  }

  /** Enters a lead by hand. */
  String lead(TestTenant tenant, String phone, String name, String sourceGroup) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("contact_phone", phone);
    body.put("contact_name", name);
    if (sourceGroup != null) {
      body.put(
          "source_group_id", java.util.UUID.nameUUIDFromBytes(sourceGroup.getBytes()).toString());
      body.put("source_group_name", sourceGroup);
    }
    Api.Response created = tenant.api().post("/api/v2/leads", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  void moveLead(TestTenant tenant, String lead, String status) {
    Api.Response moved =
        tenant.api().patch("/api/v2/leads/" + lead + "/status", Map.of("status", status));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
  }
}
