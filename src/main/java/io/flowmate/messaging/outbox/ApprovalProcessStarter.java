package io.flowmate.messaging.outbox;

import io.flowmate.core.ApprovalId;
import io.flowmate.messaging.message.Message;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalGate;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.ProcessBackedRows;
import io.flowmate.workflow.Processes;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives every message that waits for approval a live {@code messaging-approval} instance: when it
 * is sent, and again after the engine lost its instances (a restart of the embedded engine). A
 * message whose approval was decided meanwhile continues at the decision gateway, so the decision
 * is carried out exactly once.
 */
@Component
class ApprovalProcessStarter {

  private final Processes processes;
  private final Approvals approvals;
  private final ProcessBackedRows<Message> rows;

  ApprovalProcessStarter(Processes processes, Approvals approvals, OutboxRepository messages) {
    this.processes = processes;
    this.approvals = approvals;
    this.rows =
        new ProcessBackedRows<>(
            processes,
            "message approval",
            ProcessBackedRows.Table.of(
                Message::id,
                Message::processInstanceKey,
                Message::engineEpoch,
                messages::awaitingApprovalOutside,
                messages::claimForEpoch,
                messages::attachProcess),
            this::launch);
  }

  String epoch() {
    return rows.epoch();
  }

  /**
   * Starts the instance for a message already claimed for the current epoch; false if the engine
   * refused.
   */
  boolean startFor(Message message) {
    return rows.start(message);
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    rows.recreate();
  }

  /** Catches up with starts that failed (engine briefly unreachable). */
  @Scheduled(
      fixedDelayString = "${flowmate.messaging.reconcile-interval:1m}",
      initialDelayString = "${flowmate.messaging.reconcile-interval:1m}")
  int reconcile() {
    return rows.reconcile();
  }

  private Processes.StartedInstance launch(Message message) {
    Approval approval =
        approvals
            .find(ApprovalId.of(message.approvalId()))
            .orElseThrow(
                () -> new IllegalStateException("approval of " + message.id() + " missing"));
    Map<String, Object> variables = variables(message, approval);
    Processes.StartedInstance started;
    if (approval.status() == ApprovalStatus.PENDING) {
      started = processes.start(MessageApprovalProcess.PROCESS_ID, variables);
    } else {
      variables.putAll(Approvals.decisionVariables(approval));
      started =
          processes.startBefore(
              MessageApprovalProcess.PROCESS_ID,
              MessageApprovalProcess.DECISION_GATEWAY,
              variables);
    }
    approvals.attachProcess(approval.id(), started.processInstanceKey());
    return started;
  }

  private static Map<String, Object> variables(Message message, Approval approval) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(MessageApprovalProcess.TENANT_ID, message.tenantId().toString());
    variables.put(MessageApprovalProcess.MESSAGE_ID, message.id().toString());
    variables.put(ApprovalGate.APPROVAL_ID, approval.id().toString());
    variables.put(
        ApprovalGate.EXPIRES_AT, approval.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString());
    variables.put(MessageApprovalProcess.RECIPIENT, message.chatId().value());
    variables.put(MessageApprovalProcess.MESSAGE_TEXT, message.content().preview());
    return variables;
  }
}
