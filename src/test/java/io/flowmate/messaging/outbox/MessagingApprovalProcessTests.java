package io.flowmate.messaging.outbox;

import static io.flowmate.messaging.outbox.MessageApprovalProcess.APPROVE_TASK;
import static io.flowmate.messaging.outbox.MessageApprovalProcess.CANCELLED_END;
import static io.flowmate.messaging.outbox.MessageApprovalProcess.CANCEL_TASK;
import static io.flowmate.messaging.outbox.MessageApprovalProcess.DECISION_GATEWAY;
import static io.flowmate.messaging.outbox.MessageApprovalProcess.EXPIRE_TASK;
import static io.flowmate.messaging.outbox.MessageApprovalProcess.EXPIRY_TIMER;
import static io.flowmate.messaging.outbox.MessageApprovalProcess.RECORD_DECISION_TASK;
import static io.flowmate.messaging.outbox.MessageApprovalProcess.SEND_TASK;
import static io.flowmate.messaging.outbox.MessageApprovalProcess.SENT_END;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.EngineClock;
import io.flowmate.support.EngineRecords;
import io.flowmate.support.IntegrationTest;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.Tasklist;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code bpmn/messaging-approval.bpmn} on the embedded engine, every path: approved (as is and
 * edited), rejected, expired (engine time travel, no sleeping), and decided in Tasklist. The
 * process runs with its real workers; outcomes are checked in the engine's records, the API and the
 * simulated WhatsApp.
 */
// Its own application context: moving the engine clock must not expire other classes' approvals.
// The application's clock moves with the engine's, as in production: an approval expires only when
// due.
@Import(EngineClock.Config.class)
@TestPropertySource(properties = "flowmate.messaging.approval-timeout=24h")
// The expiry test moves the engine clock a day on for good: it runs last, or every later approval
// of this context would expire at once.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessagingApprovalProcessTests extends IntegrationTest {

  @Autowired EmbeddedEngine engine;
  @Autowired EngineClock clock;
  @Autowired ApplicationContext context;

  private EngineRecords records;
  private TestTenant tenant;
  private String session;

  @BeforeEach
  void tenantRequiringApproval() {
    records = new EngineRecords(engine);
    tenant = newTenant().allowingColdMessages();
    session = tenant.workingSession();
    assertThat(
            tenant
                .api()
                .patch("/api/v2/tenant/settings", Map.of("require_approval", true))
                .status())
        .isEqualTo(200);
  }

  @Test
  void approvedMessageIsSent() {
    Pending pending = sendForApproval("Please approve me");

    approve(pending, Map.of());

    awaitStatus(pending, "read");
    assertThat(records.completedElements(pending.processInstanceKey()))
        .contains(APPROVE_TASK, RECORD_DECISION_TASK, DECISION_GATEWAY, SEND_TASK, SENT_END)
        .doesNotContain(CANCEL_TASK, EXPIRE_TASK);
    assertThat(records.isCompleted(pending.processInstanceKey())).isTrue();
    assertThat(deliveredTexts()).containsExactly("Please approve me");
  }

  @Test
  void approvalWithEditedTextSendsTheEditedText() {
    Pending pending = sendForApproval("Draft with a typo");

    approve(pending, Map.of("edited_text", "Final text without typo"));

    awaitStatus(pending, "read");
    assertThat(deliveredTexts()).containsExactly("Final text without typo");
    assertThat(tenant.api().get("/api/v2/messages/" + pending.messageId()).text("content_preview"))
        .isEqualTo("Final text without typo");
  }

  @Test
  void rejectedMessageIsCancelledWithTheReason() {
    Pending pending = sendForApproval("Not for sending");
    awaitUserTask(pending);

    Api.Response rejected =
        tenant
            .api()
            .post(
                "/api/v2/approvals/" + pending.approvalId() + "/reject",
                Map.of("reason", "wrong customer"));

    assertThat(rejected.status()).isEqualTo(200);
    awaitStatus(pending, "cancelled");
    Api.Response message = tenant.api().get("/api/v2/messages/" + pending.messageId());
    assertThat(message.text("failure_reason")).isEqualTo("approval rejected: wrong customer");
    assertThat(records.completedElements(pending.processInstanceKey()))
        .contains(RECORD_DECISION_TASK, CANCEL_TASK, CANCELLED_END)
        .doesNotContain(SEND_TASK);
    assertThat(deliveredTexts()).isEmpty();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void approvalNotDecidedWithin24HoursExpires() {
    Pending pending = sendForApproval("Nobody looks at me");
    awaitUserTask(pending);

    clock.travel(Duration.ofHours(24).plusMinutes(1));

    awaitStatus(pending, "cancelled");
    assertThat(tenant.api().get("/api/v2/approvals/" + pending.approvalId()).text("status"))
        .isEqualTo("expired");
    assertThat(tenant.api().get("/api/v2/messages/" + pending.messageId()).text("failure_reason"))
        .startsWith("approval expired");
    assertThat(records.completedElements(pending.processInstanceKey()))
        .contains(EXPIRY_TIMER, EXPIRE_TASK, CANCEL_TASK, CANCELLED_END)
        .doesNotContain(APPROVE_TASK, SEND_TASK);
    Api.Response late = tenant.api().post("/api/v2/approvals/" + pending.approvalId() + "/approve");
    assertThat(late.status()).isEqualTo(409);
  }

  @Test
  void decisionTakenInTasklistIsRecordedAndFollowed() {
    Pending pending = sendForApproval("Decide me in Tasklist");
    long userTask = awaitUserTask(pending);

    new Tasklist(context)
        .complete(
            userTask,
            Map.of(
                ApprovalGate.DECISION, "approved",
                ApprovalGate.EDITED_TEXT, "Edited in Tasklist"));

    awaitStatus(pending, "read");
    Api.Response approval = tenant.api().get("/api/v2/approvals/" + pending.approvalId());
    assertThat(approval.text("status")).isEqualTo("approved");
    assertThat(approval.text("decided_by")).isEqualTo("tasklist");
    assertThat(approval.text("edited_text")).isEqualTo("Edited in Tasklist");
    assertThat(deliveredTexts()).containsExactly("Edited in Tasklist");
  }

  @Test
  void rejectionInTasklistCancelsTheMessage() {
    Pending pending = sendForApproval("Reject me in Tasklist");
    long userTask = awaitUserTask(pending);

    new Tasklist(context)
        .complete(
            userTask,
            Map.of(ApprovalGate.DECISION, "rejected", ApprovalGate.REJECTION_REASON, "off-brand"));

    awaitStatus(pending, "cancelled");
    assertThat(tenant.api().get("/api/v2/messages/" + pending.messageId()).text("failure_reason"))
        .isEqualTo("approval rejected: off-brand");
  }

  private record Pending(String messageId, String approvalId, long processInstanceKey) {}

  private Pending sendForApproval(String text) {
    Api.Response sent =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", "4915100000001", "message", text));
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    assertThat(sent.text("status")).isEqualTo("pending");
    String messageId = sent.text("id");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            tenant.api().get("/api/v2/messages/" + messageId).text("process_instance_key") != null);
    long key =
        Long.parseLong(
            tenant.api().get("/api/v2/messages/" + messageId).text("process_instance_key"));
    return new Pending(messageId, sent.text("approval_id"), key);
  }

  private long awaitUserTask(Pending pending) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> records.userTaskKey(pending.processInstanceKey()), java.util.Optional::isPresent)
        .orElseThrow();
  }

  private void approve(Pending pending, Map<String, Object> body) {
    awaitUserTask(pending);
    Api.Response approved =
        tenant.api().post("/api/v2/approvals/" + pending.approvalId() + "/approve", body);
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.text("status")).isEqualTo("approved");
  }

  private void awaitStatus(Pending pending, String status) {
    tenant.awaitMessageStatus(pending.messageId(), status);
    assertThat(records.incidents(pending.processInstanceKey())).isEmpty();
  }

  private java.util.List<String> deliveredTexts() {
    return tenant.deliveredTexts(session);
  }
}
