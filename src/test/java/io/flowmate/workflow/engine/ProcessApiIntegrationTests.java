package io.flowmate.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import io.flowmate.workflow.EmbeddedEngine;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Listing deployed processes and starting user processes over REST. */
class ProcessApiIntegrationTests extends IntegrationTest {

  @Autowired EmbeddedEngine engine;

  @Test
  void builtInProcessesAreListedButNotStartableHere() {
    Api api = newTenant().api();

    Api.Response list = api.get("/api/v2/processes");
    Api.Response start = api.post("/api/v2/processes/messaging-approval/instances", Map.of());

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("items").findValuesAsText("bpmn_process_id"))
        .contains("messaging-approval");
    var approval =
        java.util.stream.StreamSupport.stream(list.json().get("items").spliterator(), false)
            .filter(item -> item.get("bpmn_process_id").asText().equals("messaging-approval"))
            .findFirst()
            .orElseThrow();
    assertThat(approval.get("built_in").asBoolean()).isTrue();
    assertThat(approval.get("startable_via_api").asBoolean()).isFalse();
    assertThat(start.status()).isEqualTo(403);
    assertThat(start.text("detail")).contains("Flowmate's own processes");
  }

  @Test
  void processDeployedByATenantIsListedAndStartsWithTheCallersTenant() {
    TestTenant tenant = newTenant();
    Api.Response deployed =
        tenant
            .api()
            .post(
                "/api/v2/processes/deployments",
                Map.of(
                    "resources",
                    java.util.List.of(
                        Map.of(
                            "name",
                            "customer-welcome.bpmn",
                            "content",
                            Bpmn.convertToString(
                                Bpmn.createExecutableProcess("customer-welcome")
                                    .startEvent()
                                    .endEvent()
                                    .done())))));
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
    assertThat(deployed.json().get("processes").findValuesAsText("bpmn_process_id"))
        .containsExactly("customer-welcome");

    Api.Response list = tenant.api().get("/api/v2/processes?limit=100");
    Api.Response started =
        tenant
            .api()
            .post(
                "/api/v2/processes/customer-welcome/instances",
                Map.of("variables", Map.of("customerId", "C-42", "tenantId", "someone-else")));

    assertThat(list.json().get("items").findValuesAsText("bpmn_process_id"))
        .contains("customer-welcome");
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    long key = started.json().get("process_instance_key").asLong();
    assertThat(started.text("bpmn_process_id")).isEqualTo("customer-welcome");
    assertThat(variable(key, "customerId")).isEqualTo("\"C-42\"");
    assertThat(variable(key, "tenantId")).isEqualTo("\"" + tenant.id() + "\"");
  }

  @Test
  void unknownAndInvalidProcessIdsAreClientErrors() {
    Api api = newTenant().api();

    assertThat(api.post("/api/v2/processes/never-deployed/instances", Map.of()).status())
        .isEqualTo(404);
    assertThat(api.post("/api/v2/processes/bad%20id!/instances", Map.of()).status()).isIn(400, 422);
  }

  @Test
  void startingNeedsTheProcessesManageScope() {
    Api reader = newTenant().keyWithScopes("processes:read");

    assertThat(reader.get("/api/v2/processes").status()).isEqualTo(200);
    Api.Response start = reader.post("/api/v2/processes/customer-welcome/instances", Map.of());
    assertThat(start.status()).isEqualTo(403);
    assertThat(start.header("X-Required-Scopes")).isEqualTo("processes:manage");
  }

  private String variable(long processInstanceKey, String name) {
    engine.waitForIdleState(java.time.Duration.ofSeconds(5));
    return StreamSupport.stream(
            RecordStream.of(engine.recordStream()).variableRecords().spliterator(), false)
        .filter(r -> r.getValue().getProcessInstanceKey() == processInstanceKey)
        .filter(r -> r.getValue().getName().equals(name))
        .map(r -> r.getValue().getValue())
        .findFirst()
        .orElseThrow();
  }
}
