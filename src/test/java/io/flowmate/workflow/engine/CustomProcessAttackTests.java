package io.flowmate.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Attacks on custom processes (issue #11, item 12): the engine knows processes by id for everyone,
 * so without owners every tenant would see, start and replace every tenant's processes.
 */
class CustomProcessAttackTests extends IntegrationTest {

  @Autowired CamundaClient client;
  @Autowired ProcessCatalog catalog;

  /** Attack: list the processes and start one that another tenant deployed. */
  @Test
  void anotherTenantsProcessIsNeitherListedNorStartable() {
    TestTenant owner = newTenant();
    TestTenant other = newTenant();
    String id = processId();
    assertThat(deploy(owner.api(), id).status()).isEqualTo(201);

    Api.Response listed = other.api().get("/api/v2/processes?limit=100");
    Api.Response started = other.api().post("/api/v2/processes/" + id + "/instances", Map.of());

    assertThat(listed.json().get("items").findValuesAsText("bpmn_process_id")).doesNotContain(id);
    assertThat(started.status()).isEqualTo(404);
    assertThat(started.header("Content-Type")).startsWith("application/problem+json");
    assertThat(
            owner
                .api()
                .get("/api/v2/processes?limit=100")
                .json()
                .get("items")
                .findValuesAsText("bpmn_process_id"))
        .contains(id);
    assertThat(owner.api().post("/api/v2/processes/" + id + "/instances", Map.of()).status())
        .isEqualTo(201);
  }

  /** Attack: deploy a new version under another tenant's process id, to replace what it runs. */
  @Test
  void anotherTenantsProcessIdCannotBeDeployedAgain() {
    TestTenant owner = newTenant();
    TestTenant other = newTenant();
    String id = processId();
    deploy(owner.api(), id);

    Api.Response takeover = deploy(other.api(), id);

    assertThat(takeover.status()).isEqualTo(409);
    assertThat(takeover.text("detail")).contains("another tenant");
    List<String> versions =
        owner
            .api()
            .get("/api/v2/processes?limit=100")
            .json()
            .get("items")
            .findValues("bpmn_process_id")
            .stream()
            .filter(node -> node.asText().equals(id))
            .map(node -> node.asText())
            .toList();
    assertThat(versions).hasSize(1);
  }

  /** Attack: deploy a process or decision under a built-in id through the API. */
  @Test
  void builtInIdsCannotBeDeployedThroughTheApi() {
    TestTenant tenant = newTenant();

    Api.Response process = deploy(tenant.api(), "messaging-approval");
    Api.Response decision =
        tenant
            .api()
            .post(
                "/api/v2/processes/deployments",
                Map.of(
                    "resources",
                    List.of(
                        Map.of(
                            "name",
                            "policy.dmn",
                            "content",
                            decision("leads-status-transition")))));

    assertThat(process.status()).isEqualTo(403);
    assertThat(decision.status()).isEqualTo(403);
    assertThat(decision.text("detail")).contains("leads-status-transition");
  }

  /**
   * Attack: a process deployed straight to the engine's port (no owner is configured) is not a
   * tenant's, so no tenant lists or starts it.
   */
  @Test
  void processDeployedStraightToTheEngineBelongsToNoTenant() {
    TestTenant tenant = newTenant();
    String id = processId();
    client
        .newDeployResourceCommand()
        .addProcessModel(
            Bpmn.createExecutableProcess(id).startEvent().endEvent().done(), id + ".bpmn")
        .send()
        .join();
    catalog.captureEngineDeployments();

    assertThat(
            tenant
                .api()
                .get("/api/v2/processes?limit=100")
                .json()
                .get("items")
                .findValuesAsText("bpmn_process_id"))
        .doesNotContain(id);
    assertThat(tenant.api().post("/api/v2/processes/" + id + "/instances", Map.of()).status())
        .isEqualTo(404);
  }

  private static String processId() {
    return "custom-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Api.Response deploy(Api api, String id) {
    String xml =
        Bpmn.convertToString(Bpmn.createExecutableProcess(id).startEvent().endEvent().done());
    return api.post(
        "/api/v2/processes/deployments",
        Map.of("resources", List.of(Map.of("name", id + ".bpmn", "content", xml))));
  }

  private static String decision(String id) {
    return """
    <?xml version="1.0" encoding="UTF-8"?>
    <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Policy" name="Policy"
        namespace="http://camunda.org/schema/1.0/dmn">
      <decision id="%s" name="Override">
        <decisionTable id="Table" hitPolicy="FIRST">
          <input id="In" label="event">
            <inputExpression id="InExpr" typeRef="string"><text>event</text></inputExpression>
          </input>
          <output id="Out" name="allowed" typeRef="boolean" />
          <rule id="Always">
            <inputEntry id="E1"><text>-</text></inputEntry>
            <outputEntry id="O1"><text>true</text></outputEntry>
          </rule>
        </decisionTable>
      </decision>
    </definitions>
    """
        .formatted(id)
        .strip();
  }
}
