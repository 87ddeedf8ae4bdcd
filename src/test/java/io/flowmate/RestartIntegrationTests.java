package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded engine forgets everything when the process stops; PostgreSQL does not. These tests
 * stop Flowmate in the middle of a flow and start it again on the same database: nothing is lost,
 * nothing is sent twice.
 */
class RestartIntegrationTests {

  private final TestDatabase.Coordinates database = TestDatabase.newDatabase();

  @Test
  void pendingApprovalSurvivesARestartAndIsSentExactlyOnceWhenApproved() {
    Flow flow;
    try (AppInstance first = AppInstance.start(database)) {
      flow = Flow.prepare(first);
      flow.awaitApprovalProcess(first);
      assertThat(flow.deliveries(first)).isEmpty();
    }

    try (AppInstance second = AppInstance.start(database)) {
      Api api = second.api(flow.key());
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> "working".equals(api.get("/api/v2/sessions/" + flow.session()).text("status")));
      Api.Response pending = api.get("/api/v2/approvals?status=pending");
      assertThat(pending.json().get("items").findValuesAsText("id"))
          .containsExactly(flow.approval());
      flow.awaitApprovalProcess(second);

      Api.Response approved = api.post("/api/v2/approvals/" + flow.approval() + "/approve");
      assertThat(approved.status()).as(approved.toString()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> "read".equals(api.get("/api/v2/messages/" + flow.message()).text("status")));
      assertThat(flow.deliveries(second)).containsExactly("Wait for me");
    }
  }

  @Test
  void approvalDecidedWhileTheEngineWasGoneIsCarriedOutOnStart() throws Exception {
    Flow flow;
    try (AppInstance first = AppInstance.start(database)) {
      flow = Flow.prepare(first);
      flow.awaitApprovalProcess(first);
    }
    // The decision reached the database, but the process that would have acted on it died.
    try (Connection c =
            DriverManager.getConnection(database.url(), database.username(), database.password());
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE workflow_approval SET status = 'approved', decided_at = now(),"
                    + " decided_by = 'test', edited_text = 'Approved while down' WHERE id = ?")) {
      update.setObject(1, UUID.fromString(flow.approval()));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }

    try (AppInstance second = AppInstance.start(database)) {
      Api api = second.api(flow.key());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> "read".equals(api.get("/api/v2/messages/" + flow.message()).text("status")));
      assertThat(flow.deliveries(second)).containsExactly("Approved while down");
      assertThat(api.get("/api/v2/approvals?status=pending").json().get("total").asInt()).isZero();
    }
  }

  @Test
  void dataKeysAndModelerDeploymentsSurviveARestart() {
    String key;
    String session;
    String tenantId;
    try (AppInstance first = AppInstance.start(database)) {
      Api.Response tenant =
          first.operator().post("/api/v2/admin/tenants", Map.of("name", "kept", "plan", "pro"));
      key = tenant.text("admin_api_key");
      tenantId = tenant.json().get("tenant").get("id").asText();
      session = first.api(key).post("/api/v2/sessions", Map.of("name", "kept")).text("id");
      // What Camunda Modeler does: deploy straight to the engine's gRPC port.
      first
          .bean(CamundaClient.class)
          .newDeployResourceCommand()
          .addProcessModel(
              Bpmn.createExecutableProcess("kept-process").startEvent().endEvent().done(),
              "kept-process.bpmn")
          .send()
          .join();
      JdbcClient jdbc = first.bean(JdbcClient.class);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() ->
              jdbc.sql(
                          "SELECT count(*) FROM workflow_deployment_resource"
                              + " WHERE resource_name = 'kept-process.bpmn'")
                      .query(Long.class)
                      .single()
                  == 1);
    }
    // The operator names the tenant that owns what is deployed to the port.
    try (AppInstance second =
        AppInstance.start(database, Map.of("flowmate.engine.deployment-owner", tenantId))) {
      Api api = second.api(key);
      Api.Response sessions = api.get("/api/v2/sessions");
      assertThat(sessions.status()).isEqualTo(200);
      assertThat(sessions.json().findValuesAsText("id")).containsExactly(session);
      assertThat(
              api.get("/api/v2/processes").json().get("items").findValuesAsText("bpmn_process_id"))
          .contains("kept-process");
      assertThat(api.post("/api/v2/processes/kept-process/instances", Map.of()).status())
          .isEqualTo(201);
    }
  }

  /** A tenant requiring approval, a working session and one message waiting for approval. */
  private record Flow(String key, String session, String message, String approval) {

    static Flow prepare(AppInstance app) {
      Api.Response tenant =
          app.operator()
              .post("/api/v2/admin/tenants", Map.of("name", "restart", "plan", "business"));
      assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
      Api api = app.api(tenant.text("admin_api_key"));
      api.patch(
          "/api/v2/tenant/settings", Map.of("require_approval", true, "reciprocity_check", false));
      String session = api.post("/api/v2/sessions", Map.of("name", "phone")).text("id");
      api.post("/api/v2/sessions/" + session + "/start");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "working".equals(api.get("/api/v2/sessions/" + session).text("status")));
      Api.Response sent =
          api.post(
              "/api/v2/messages/send",
              Map.of("session_id", session, "chat_id", "4915100000002", "message", "Wait for me"));
      assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
      return new Flow(
          tenant.text("admin_api_key"), session, sent.text("id"), sent.text("approval_id"));
    }

    void awaitApprovalProcess(AppInstance app) {
      Api api = app.api(key);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> api.get("/api/v2/messages/" + message).text("process_instance_key") != null);
    }

    List<String> deliveries(AppInstance app) {
      return app.api(key)
          .get("/api/v2/simulator/sessions/" + session + "/deliveries")
          .json()
          .findValuesAsText("body");
    }
  }
}
