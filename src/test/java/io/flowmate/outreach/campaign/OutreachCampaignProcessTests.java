package io.flowmate.outreach.campaign;

import static io.flowmate.outreach.campaign.CampaignProcess.APPROVE_TASK;
import static io.flowmate.outreach.campaign.CampaignProcess.CANCELLED_END;
import static io.flowmate.outreach.campaign.CampaignProcess.CANCEL_TASK;
import static io.flowmate.outreach.campaign.CampaignProcess.COMPLETED_END;
import static io.flowmate.outreach.campaign.CampaignProcess.EXPIRY_TIMER;
import static io.flowmate.outreach.campaign.CampaignProcess.FAILED_END;
import static io.flowmate.outreach.campaign.CampaignProcess.HOLD_TASK;
import static io.flowmate.outreach.campaign.CampaignProcess.PAUSE_ENDED;
import static io.flowmate.outreach.campaign.CampaignProcess.PLAN_TASK;
import static io.flowmate.outreach.campaign.CampaignProcess.REJECTED_END;
import static io.flowmate.outreach.campaign.CampaignProcess.RELEASE_TASK;
import static io.flowmate.outreach.campaign.CampaignProcess.SETTLED_EVENT;
import static io.flowmate.outreach.campaign.CampaignProcess.START_TASK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import io.flowmate.support.Api;
import io.flowmate.support.EngineClock;
import io.flowmate.support.EngineRecords;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestGroups;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code bpmn/outreach-campaign.bpmn} on the embedded engine with its real workers, every path:
 * sent and completed (planned in pages), approved as is and edited, rejected, expired (engine time
 * travel, no sleeping), decided in Tasklist, paused and resumed, cancelled, and a campaign that
 * cannot run. Outcomes are checked in the engine's records, the API and the simulated WhatsApp.
 */
// Its own context: moving the engine clock must not expire other classes' approvals; small pages
// make planning loop.
// The application's clock moves with the engine's, as in production: an approval expires only when
// due.
@Import(EngineClock.Config.class)
@TestPropertySource(
    properties = {
      "flowmate.outreach.campaigns.approval-timeout=72h",
      "flowmate.outreach.campaigns.plan-batch=2"
    })
// The expiry test moves the engine clock 72 hours on for good: it runs last, or every later
// approval of this context would expire at once.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutreachCampaignProcessTests extends IntegrationTest {

  @Autowired EmbeddedEngine engine;
  @Autowired EngineClock clock;
  @Autowired ApplicationContext context;
  @Autowired JdbcClient jdbc;
  @Autowired CampaignRepository campaigns;
  @Autowired CampaignProcessStarter starter;

  private EngineRecords records;
  private TestTenant tenant;
  private String session;
  private UUID group;

  @BeforeEach
  void tenantWithAGroup() {
    records = new EngineRecords(engine);
    tenant = newTenant().allowingColdMessages();
    session = tenant.workingSession();
    group =
        new TestGroups(jdbc)
            .create(
                tenant.id(),
                List.of(
                    TestGroups.Member.of("4915100000701", "Ana Lima"),
                    TestGroups.Member.of("4915100000702", "Ben Okafor"),
                    TestGroups.Member.of("4915100000703", "Chloé Martin"),
                    new TestGroups.Member("4915100000704", null, Map.of("first_name", "Dee")),
                    TestGroups.Member.of("4915100000705", "Eve")));
  }

  @Test
  void recipientsArePlannedInPagesSentAndTheCampaignCompletes() {
    Api.Response job = create("Hi {first_name}, our shop opens {tomorrow|on Monday}!");

    assertThat(job.status()).as(job.toString()).isEqualTo(201);
    String id = job.text("id");
    awaitStatus(id, "completed");
    long instance = processInstance(id);
    List<String> completed = records.completedElements(instance);
    assertThat(Collections.frequency(completed, PLAN_TASK))
        .as("5 recipients, pages of 2")
        .isEqualTo(3);
    assertThat(completed)
        .contains(START_TASK, SETTLED_EVENT, COMPLETED_END)
        .doesNotContain(APPROVE_TASK);
    assertThat(records.isCompleted(instance)).isTrue();
    assertThat(tenant.deliveredTexts(session))
        .hasSize(5)
        .allMatch(
            t -> t.matches("Hi (Ana|Ben|Chloé|Dee|Eve), our shop opens (tomorrow|on Monday)!"));
    Api.Response done = tenant.api().get("/api/v2/bulk-send/" + id);
    assertThat(done.json().get("sent_count").asInt()).isEqualTo(5);
    assertThat(done.json().get("failed_count").asInt()).isZero();
    assertThat(done.json().get("total_recipients").asInt()).isEqualTo(5);
  }

  @Test
  void approvedCampaignSendsTheApproversEditedText() {
    requireApproval();
    String id = create("Draft: hi {name}").text("id");
    String approval = awaitApproval(id);
    assertThat(
            tenant
                .api()
                .get("/api/v2/approvals/" + approval)
                .json()
                .get("summary")
                .get("audience_size")
                .asInt())
        .isEqualTo(5);

    Api.Response approved =
        tenant
            .api()
            .post(
                "/api/v2/approvals/" + approval + "/approve",
                Map.of("edited_text", "Final: hello {first_name}"));

    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    awaitStatus(id, "completed");
    assertThat(tenant.deliveredTexts(session))
        .hasSize(5)
        .allMatch(t -> t.startsWith("Final: hello "));
    assertThat(records.completedElements(processInstance(id)))
        .contains(APPROVE_TASK, START_TASK, COMPLETED_END);
  }

  @Test
  void rejectedCampaignIsCancelledWithTheReasonAndSendsNothing() {
    requireApproval();
    String id = create("Never to be sent").text("id");
    String approval = awaitApproval(id);

    tenant
        .api()
        .post("/api/v2/approvals/" + approval + "/reject", Map.of("reason", "wrong audience"));

    awaitStatus(id, "cancelled");
    assertThat(tenant.api().get("/api/v2/bulk-send/" + id).text("status_reason"))
        .isEqualTo("rejected: wrong audience");
    assertThat(records.completedElements(processInstance(id)))
        .contains(REJECTED_END)
        .doesNotContain(PLAN_TASK);
    assertThat(tenant.deliveredTexts(session)).isEmpty();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void campaignNotApprovedWithin72HoursExpires() {
    requireApproval();
    String id = create("Nobody approves me").text("id");
    awaitApproval(id);

    clock.travel(Duration.ofHours(72).plusMinutes(1));

    awaitStatus(id, "cancelled");
    assertThat(tenant.api().get("/api/v2/bulk-send/" + id).text("status_reason"))
        .isEqualTo("approval expired");
    assertThat(records.completedElements(processInstance(id))).contains(EXPIRY_TIMER, REJECTED_END);
    assertThat(tenant.deliveredTexts(session)).isEmpty();
  }

  @Test
  void decisionTakenInTasklistStartsTheCampaign() {
    requireApproval();
    String id = create("Approve me in Tasklist").text("id");
    awaitApproval(id);
    long userTask =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> records.userTaskKey(processInstance(id)), java.util.Optional::isPresent)
            .orElseThrow();

    new Tasklist(context).complete(userTask, Map.of(ApprovalGate.DECISION, "approved"));

    awaitStatus(id, "completed");
    assertThat(tenant.deliveredTexts(session)).hasSize(5).containsOnly("Approve me in Tasklist");
  }

  @Test
  void pauseHoldsTheQueueAndResumeSendsTheRest() {
    stopSession();
    String id = create("Paused and resumed").text("id");
    awaitStatus(id, "running");
    awaitRecipients(id, "queued", 5);

    Api.Response paused = tenant.api().post("/api/v2/bulk-send/" + id + "/pause");

    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.text("status")).isEqualTo("paused");
    awaitRecipients(id, "held", 5);
    startSession();
    assertThat(tenant.deliveredTexts(session)).as("nothing leaves while paused").isEmpty();
    assertThat(tenant.api().post("/api/v2/bulk-send/" + id + "/pause").status())
        .as("not running")
        .isEqualTo(409);

    Api.Response resumed = tenant.api().post("/api/v2/bulk-send/" + id + "/resume");

    assertThat(resumed.text("status")).isEqualTo("running");
    awaitStatus(id, "completed");
    assertThat(tenant.deliveredTexts(session)).hasSize(5);
    assertThat(records.completedElements(processInstance(id)))
        .contains(HOLD_TASK, RELEASE_TASK, PAUSE_ENDED, COMPLETED_END);
  }

  @Test
  void cancelCancelsEveryMessageNotYetSent() {
    stopSession();
    String id = create("Cancelled before it went").text("id");
    awaitRecipients(id, "queued", 5);

    Api.Response cancelled = tenant.api().post("/api/v2/bulk-send/" + id + "/cancel");

    assertThat(cancelled.text("status")).isEqualTo("cancelled");
    assertThat(cancelled.json().get("cancelled_count").asInt()).isEqualTo(5);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> records.completedElements(processInstance(id)).contains(CANCELLED_END));
    assertThat(records.completedElements(processInstance(id))).contains(CANCEL_TASK);
    startSession();
    assertThat(tenant.api().post("/api/v2/bulk-send/" + id + "/cancel").status()).isEqualTo(409);
    assertThat(tenant.api().post("/api/v2/bulk-send/" + id + "/resume").status()).isEqualTo(409);
    assertThat(tenant.deliveredTexts(session)).isEmpty();
  }

  @Test
  void aCampaignThatCannotRunFailsWithTheReason() {
    // The API refuses an empty group; a group emptied before the process starts (or restarts)
    // is caught by the process itself.
    UUID empty = new TestGroups(jdbc).create(tenant.id(), List.of());
    Instant now = Instant.now();
    Campaign campaign =
        new Campaign(
            Ids.newId(),
            TenantId.of(tenant.id()),
            UUID.fromString(session),
            empty,
            null,
            "text",
            "Hello",
            null,
            List.of(),
            Map.of(),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            CampaignStatus.PENDING,
            null,
            0,
            0,
            null,
            false,
            null,
            null,
            starter.epoch(),
            now,
            now,
            null,
            null);
    campaigns.insert(campaign, null, null);

    starter.startFor(campaign);

    String id = campaign.id().toString();
    awaitStatus(id, "failed");
    assertThat(tenant.api().get("/api/v2/bulk-send/" + id).text("status_reason"))
        .isEqualTo("campaign cannot run: its custom group has no members");
    assertThat(records.completedElements(processInstance(id)))
        .contains(FAILED_END)
        .doesNotContain(START_TASK);
  }

  private Api.Response create(String text) {
    return tenant
        .api()
        .post(
            "/api/v2/bulk-send",
            Map.of(
                "session_id",
                session,
                "custom_group_id",
                group.toString(),
                "message_content",
                text));
  }

  private void requireApproval() {
    assertThat(
            tenant
                .api()
                .patch("/api/v2/tenant/settings", Map.of("require_approval", true))
                .status())
        .isEqualTo(200);
  }

  private String awaitApproval(String id) {
    String approval = tenant.api().get("/api/v2/bulk-send/" + id).text("approval_id");
    assertThat(approval).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> records.userTaskKey(processInstance(id)).isPresent());
    return approval;
  }

  private long processInstance(String id) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> tenant.api().get("/api/v2/bulk-send/" + id).json().get("process_instance_key"),
            n -> n != null && !n.isNull())
        .asLong();
  }

  private void awaitStatus(String id, String status) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() ->
            assertThat(tenant.api().get("/api/v2/bulk-send/" + id).text("status"))
                .as(() -> tenant.api().get("/api/v2/bulk-send/" + id).body())
                .isEqualTo(status));
  }

  private void awaitRecipients(String id, String status, int count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(
                    tenant
                        .api()
                        .get("/api/v2/bulk-send/" + id + "/recipients?status=" + status)
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(count));
  }

  private void stopSession() {
    assertThat(tenant.api().post("/api/v2/sessions/" + session + "/stop").status()).isEqualTo(200);
    tenant.awaitSessionStatus(session, "stopped");
  }

  private void startSession() {
    assertThat(tenant.api().post("/api/v2/sessions/" + session + "/start").status()).isEqualTo(200);
    tenant.awaitSessionStatus(session, "working");
  }
}
