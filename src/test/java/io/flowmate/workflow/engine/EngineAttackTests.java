package io.flowmate.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.flowmate.support.Api;
import io.flowmate.support.EngineRecords;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestGroups;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.Processes;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Attacks on the embedded engine and its workers (issue #11, item 1): someone who reaches the gRPC
 * port deploys over Flowmate's processes or starts instances with forged variables. Each test is
 * the attacker's move, then the assertion that it is refused: nothing is sent or decided.
 */
class EngineAttackTests extends IntegrationTest {

  @Autowired EmbeddedEngine engine;
  @Autowired ProcessCatalog catalog;
  @Autowired JdbcClient jdbc;
  @Autowired Processes processes;
  @Autowired ApplicationEventPublisher events;

  private EngineRecords records;
  private CamundaClient attacker;

  @BeforeEach
  void attackerClient() {
    records = new EngineRecords(engine);
    // Any Zeebe client that reaches the port: no credentials are asked for.
    attacker =
        CamundaClient.newClientBuilder()
            .grpcAddress(URI.create("http://127.0.0.1:" + engine.port()))
            .restAddress(URI.create("http://127.0.0.1:9"))
            .preferRestOverGrpc(false)
            .build();
  }

  @AfterEach
  void closeAttacker() {
    attacker.close();
  }

  /** Attack: connect to the engine's gRPC port from the network, through a non-loopback address. */
  @Test
  void grpcPortIsNotReachableThroughANonLoopbackAddress() throws IOException {
    InetAddress external = nonLoopbackAddress();

    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(external, engine.port()), 2_000);
              }
            })
        .as("connecting to %s:%d", external.getHostAddress(), engine.port())
        .isInstanceOf(IOException.class);
    assertThat(engine.listenAddresses())
        .isNotEmpty()
        .allSatisfy(address -> assertThat(address.getAddress().isLoopbackAddress()).isTrue());
  }

  /**
   * Attack: deploy a new version of {@code messaging-approval} that sends at once; Flowmate must
   * neither keep it for the next start nor run it for a message that waits for approval.
   */
  @Test
  void deploymentReusingABuiltInProcessIdIsNeitherKeptNorUsed() {
    String marker = "Takeover" + UUID.randomUUID().toString().replace("-", "");
    BpmnModelInstance takeover =
        Bpmn.createExecutableProcess("messaging-approval")
            .startEvent(marker)
            .serviceTask(
                "SendMessage", task -> task.zeebeJobType("flowmate.messaging.send-message"))
            .endEvent()
            .done();
    attacker.newDeployResourceCommand().addProcessModel(takeover, "takeover.bpmn").send().join();
    catalog.captureEngineDeployments();

    assertThat(storedResourcesContaining(marker))
        .as("deployments kept for the next start")
        .isZero();
    TestTenant victim = tenantRequiringApproval();
    String session = victim.workingSession();
    Api.Response sent = sendText(victim, session, "Wait for my approval");
    long instance = awaitMessageInstance(victim, sent.text("id"));
    await().atMost(Duration.ofSeconds(15)).until(() -> records.userTaskKey(instance).isPresent());
    assertThat(victim.api().get("/api/v2/messages/" + sent.text("id")).text("status"))
        .isEqualTo("pending");
    assertThat(victim.deliveredTexts(session)).isEmpty();
    assertThat(
            victim
                .api()
                .get("/api/v2/processes?limit=100")
                .json()
                .get("items")
                .findValuesAsText("resource_name"))
        .doesNotContain("takeover.bpmn");
  }

  /**
   * Attack: a deployment over a built-in process id, kept in PostgreSQL by an earlier version of
   * Flowmate, would be deployed again on the next start after Flowmate's own.
   */
  @Test
  void storedDeploymentReusingABuiltInProcessIdIsNotDeployedAgain() {
    String marker = "Stored" + UUID.randomUUID().toString().replace("-", "");
    BpmnModelInstance takeover =
        Bpmn.createExecutableProcess("outreach-campaign").startEvent(marker).endEvent().done();
    UUID id = UUID.randomUUID();
    jdbc.sql("INSERT INTO workflow_deployment (id, captured_at) VALUES (:id, now())")
        .param("id", id)
        .update();
    jdbc.sql(
            "INSERT INTO workflow_deployment_resource (deployment_id, position, resource_name, content)"
                + " VALUES (:id, 0, 'stored-takeover.bpmn', :content)")
        .param("id", id)
        .param(
            "content",
            Bpmn.convertToString(takeover).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .update();

    catalog.restoreUserDeployments();

    engine.waitForIdleState(Duration.ofSeconds(5));
    boolean deployed =
        StreamSupport.stream(
                RecordStream.of(engine.recordStream()).processRecords().spliterator(), false)
            .anyMatch(r -> r.getValue().getResourceName().equals("stored-takeover.bpmn"));
    assertThat(deployed).isFalse();
  }

  /**
   * Attack: start {@code messaging-approval} right at its send task, naming another tenant's
   * message that waits for approval (the variables are the attacker's to choose).
   */
  @Test
  void forgedSendMessageDoesNotReleaseAMessageThatWaitsForApproval() {
    TestTenant victim = tenantRequiringApproval();
    String session = victim.workingSession();
    Api.Response sent = sendText(victim, session, "Only after approval");
    awaitMessageInstance(victim, sent.text("id"));

    long forged =
        startBefore(
            "messaging-approval",
            "SendMessage",
            Map.of(
                "tenantId", victim.id().toString(),
                "messageId", sent.text("id"),
                "approvalId", sent.text("approval_id")));

    awaitIncident(forged);
    assertThat(victim.api().get("/api/v2/messages/" + sent.text("id")).text("status"))
        .isEqualTo("pending");
    assertThat(victim.deliveredTexts(session)).isEmpty();
  }

  /**
   * Attack: the same, with an approval of the attacker's own tenant that is approved: it names
   * another message, so it releases nothing of the victim's.
   */
  @Test
  void forgedSendMessageWithAnotherTenantsApprovedApprovalIsRefused() {
    TestTenant victim = tenantRequiringApproval();
    String victimSession = victim.workingSession();
    Api.Response held = sendText(victim, victimSession, "The victim's held message");
    awaitMessageInstance(victim, held.text("id"));
    TestTenant own = tenantRequiringApproval();
    String ownSession = own.workingSession();
    Api.Response mine = sendText(own, ownSession, "Mine");
    long mineInstance = awaitMessageInstance(own, mine.text("id"));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> records.userTaskKey(mineInstance).isPresent());
    assertThat(
            own.api().post("/api/v2/approvals/" + mine.text("approval_id") + "/approve").status())
        .isEqualTo(200);

    long forged =
        startBefore(
            "messaging-approval",
            "SendMessage",
            Map.of(
                "tenantId", victim.id().toString(),
                "messageId", held.text("id"),
                "approvalId", mine.text("approval_id")));

    awaitIncident(forged);
    assertThat(victim.api().get("/api/v2/messages/" + held.text("id")).text("status"))
        .isEqualTo("pending");
    assertThat(victim.deliveredTexts(victimSession)).isEmpty();
  }

  /**
   * Attack: start {@code messaging-approval} at its record-decision task with {@code
   * approvalDecision = approved}, as if an approver had completed the Tasklist form.
   */
  @Test
  void forgedTasklistDecisionDoesNotApprove() {
    TestTenant victim = tenantRequiringApproval();
    String session = victim.workingSession();
    Api.Response sent = sendText(victim, session, "Decide me properly");
    long instance = awaitMessageInstance(victim, sent.text("id"));
    await().atMost(Duration.ofSeconds(15)).until(() -> records.userTaskKey(instance).isPresent());

    long forged =
        startBefore(
            "messaging-approval",
            "RecordDecision",
            Map.of(
                "tenantId", victim.id().toString(),
                "messageId", sent.text("id"),
                "approvalId", sent.text("approval_id"),
                "approvalDecision", "approved"));

    awaitIncident(forged);
    assertThat(victim.api().get("/api/v2/approvals/" + sent.text("approval_id")).text("status"))
        .isEqualTo("pending");
    assertThat(victim.deliveredTexts(session)).isEmpty();
  }

  /** Attack: start {@code outreach-campaign} at its start task for a campaign awaiting approval. */
  @Test
  void forgedCampaignStartDoesNotSkipTheApproval() {
    TestTenant victim = tenantRequiringApproval();
    String session = victim.workingSession();
    String campaign = campaignAwaitingApproval(victim, session);

    long forged =
        startBefore(
            "outreach-campaign",
            "StartCampaign",
            Map.of("tenantId", victim.id().toString(), "campaignId", campaign));

    awaitIncident(forged);
    assertThat(victim.api().get("/api/v2/bulk-send/" + campaign).text("status"))
        .isEqualTo("pending");
    assertThat(victim.deliveredTexts(session)).isEmpty();
  }

  /**
   * Attack: start {@code outreach-campaign} at its planning task for a campaign awaiting approval.
   */
  @Test
  void forgedCampaignPlanningQueuesNothing() {
    TestTenant victim = tenantRequiringApproval();
    String session = victim.workingSession();
    String campaign = campaignAwaitingApproval(victim, session);

    long forged =
        startBefore(
            "outreach-campaign",
            "PlanRecipients",
            Map.of("tenantId", victim.id().toString(), "campaignId", campaign));

    awaitIncident(forged);
    Api.Response detail = victim.api().get("/api/v2/bulk-send/" + campaign);
    assertThat(detail.text("status")).isEqualTo("pending");
    assertThat(detail.json().get("recipients").size()).isZero();
    assertThat(victim.deliveredTexts(session)).isEmpty();
  }

  /**
   * Attack: start {@code outreach-scheduled-message} at its send task with the schedule's next
   * occurrence, a week early.
   */
  @Test
  void forgedScheduledSendBeforeItsTimeSendsNothing() {
    TestTenant victim = newTenant().allowingColdMessages();
    String session = victim.workingSession();
    Api.Response schedule =
        victim
            .api()
            .post(
                "/api/v2/scheduled-messages",
                Map.of(
                    "name", "Next week",
                    "session_id", session,
                    "chat_id", "4915100007001",
                    "schedule_type", "one_time",
                    "scheduled_time", LocalDate.now().plusDays(7).atTime(9, 0) + "Z",
                    "message_content", "Not yet"));
    assertThat(schedule.status()).as(schedule.toString()).isEqualTo(201);

    long forged =
        startBefore(
            "outreach-scheduled-message",
            "SendScheduledMessage",
            Map.of(
                "tenantId", victim.id().toString(),
                "scheduleId", schedule.text("id"),
                "nextRunAt", Instant.parse(schedule.text("next_run_at")).toString()));

    awaitIncident(forged);
    Api.Response after = victim.api().get("/api/v2/scheduled-messages/" + schedule.text("id"));
    assertThat(after.text("status")).isEqualTo("active");
    assertThat(after.json().get("run_count").asInt()).isZero();
    assertThat(victim.deliveredTexts(session)).isEmpty();
  }

  /**
   * Attack: start {@code outreach-follow-up} at its send task for a contact's follow-up that waits
   * three days for a reply, to send the next round now.
   */
  @Test
  void forgedFollowUpRoundIsNotSentBeforeItsTimer() {
    TestTenant victim = newTenant().allowingColdMessages();
    String session = victim.workingSession();
    UUID group =
        new TestGroups(jdbc)
            .create(victim.id(), List.of(TestGroups.Member.of("4915100007021", "Anna")));
    Api.Response rule =
        victim
            .api()
            .post(
                "/api/v2/follow-ups",
                Map.of(
                    "name",
                    "no reply in 3 days",
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "wait",
                    "P3D",
                    "message_content",
                    "Any thoughts, {name}?",
                    "max_rounds",
                    1));
    assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
    Api.Response offer =
        victim
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", "4915100007021", "message", "Our offer"));
    assertThat(offer.status()).as(offer.toString()).isEqualTo(201);
    String followUp =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    victim
                        .api()
                        .get("/api/v2/follow-ups/" + rule.text("id") + "/contacts")
                        .json()
                        .get("items"),
                items -> items.size() == 1 && !items.get(0).get("process_instance_key").isNull())
            .get(0)
            .get("id")
            .asText();

    long forged =
        startBefore(
            "outreach-follow-up",
            "SendFollowUp",
            Map.of("tenantId", victim.id().toString(), "followUpId", followUp, "round", 0));

    awaitIncident(forged);
    assertThat(victim.deliveredTexts(session)).containsExactly("Our offer");
    assertThat(
            victim
                .api()
                .get("/api/v2/follow-ups/" + rule.text("id") + "/contacts")
                .json()
                .get("items")
                .get(0)
                .get("round")
                .asInt())
        .isZero();
  }

  /**
   * Item 4: the node crashed between writing a row (with the current epoch) and starting its
   * process, and comes back with the same epoch (a remote cluster keeps it). The row must not wait
   * for ever: once older than the grace period it is started again.
   */
  @Test
  void rowWithoutAnInstanceOlderThanTheGracePeriodIsStartedAgain() {
    TestTenant victim = tenantRequiringApproval();
    String session = victim.workingSession();
    Api.Response sent = sendText(victim, session, "Lost in a crash");
    long lost = awaitMessageInstance(victim, sent.text("id"));
    attacker.newCancelInstanceCommand(lost).send().join();
    jdbc.sql(
            "UPDATE messaging_message SET process_instance_key = NULL,"
                + " engine_claimed_at = now() - interval '1 hour' WHERE id = :id")
        .param("id", UUID.fromString(sent.text("id")))
        .update();

    events.publishEvent(new EngineReady(processes.epoch()));

    long restarted = awaitMessageInstance(victim, sent.text("id"));
    assertThat(restarted).isNotEqualTo(lost);
    await().atMost(Duration.ofSeconds(15)).until(() -> records.userTaskKey(restarted).isPresent());
    assertThat(
            victim
                .api()
                .post("/api/v2/approvals/" + sent.text("approval_id") + "/approve")
                .status())
        .isEqualTo(200);
    victim.awaitMessageStatus(sent.text("id"), "read");
  }

  private TestTenant tenantRequiringApproval() {
    TestTenant tenant = newTenant().allowingColdMessages();
    assertThat(
            tenant
                .api()
                .patch("/api/v2/tenant/settings", Map.of("require_approval", true))
                .status())
        .isEqualTo(200);
    return tenant;
  }

  private static Api.Response sendText(TestTenant tenant, String session, String text) {
    Api.Response sent =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", "4915100007002", "message", text));
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    assertThat(sent.text("status")).isEqualTo("pending");
    return sent;
  }

  private static long awaitMessageInstance(TestTenant tenant, String messageId) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            tenant.api().get("/api/v2/messages/" + messageId).text("process_instance_key") != null);
    return Long.parseLong(
        tenant.api().get("/api/v2/messages/" + messageId).text("process_instance_key"));
  }

  private String campaignAwaitingApproval(TestTenant tenant, String session) {
    UUID group =
        new TestGroups(jdbc)
            .create(tenant.id(), List.of(TestGroups.Member.of("4915100007011", "Ana")));
    Api.Response created =
        tenant
            .api()
            .post(
                "/api/v2/bulk-send",
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "Hello {name}"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> tenant.api().get("/api/v2/bulk-send/" + id).text("approval_id") != null);
    return id;
  }

  private long startBefore(String processId, String elementId, Map<String, Object> variables) {
    return attacker
        .newCreateInstanceCommand()
        .bpmnProcessId(processId)
        // Flowmate's own version (the first): another test deploys over the latest.
        .version(1)
        .variables(new HashMap<>(variables))
        .startBeforeElement(elementId)
        .send()
        .join()
        .getProcessInstanceKey();
  }

  private void awaitIncident(long processInstanceKey) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(records.incidents(processInstanceKey)).isNotEmpty());
  }

  private long storedResourcesContaining(String marker) {
    return jdbc.sql(
            "SELECT count(*) FROM workflow_deployment_resource WHERE position('"
                + marker
                + "' IN convert_from(content, 'UTF8')) > 0")
        .query(Long.class)
        .single();
  }

  private static InetAddress nonLoopbackAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(ni -> isUp(ni))
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst()
        .orElseThrow(() ->
            new IllegalStateException(
                "this machine has no non-loopback IPv4 address to test with"));
  }

  private static boolean isUp(NetworkInterface ni) {
    try {
      return ni.isUp() && !ni.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
