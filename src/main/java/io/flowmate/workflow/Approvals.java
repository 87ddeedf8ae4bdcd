package io.flowmate.workflow;

import io.flowmate.core.ApprovalId;
import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.IllegalTransitionException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.workflow.approval.ApprovalRepository;
import io.flowmate.workflow.approval.HumanTasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Approvals: PostgreSQL records each decision first, then the engine's user task is completed to
 * match. Whichever happens first (an API decision, a Tasklist completion, the expiry timer) wins;
 * the others find the decision already recorded and follow it.
 */
@Service
public class Approvals {

  private static final Logger log = LoggerFactory.getLogger(Approvals.class);
  public static final int MAX_TEXT_LENGTH = 4096;

  private final ApprovalRepository approvals;
  private final HumanTasks humanTasks;
  private final EngineEpoch epoch;
  private final EngineGate gate;
  private final Clock clock;

  Approvals(
      ApprovalRepository approvals,
      HumanTasks humanTasks,
      EngineEpoch epoch,
      EngineGate gate,
      Clock clock) {
    this.approvals = approvals;
    this.humanTasks = humanTasks;
    this.epoch = epoch;
    this.gate = gate;
    this.clock = clock;
  }

  /**
   * What a module asks for.
   *
   * @param summary shown to approvers; may contain personal data (it stays in PostgreSQL)
   */
  public record ApprovalRequest(
      TenantId tenantId,
      String kind,
      UUID subjectId,
      Map<String, Object> summary,
      Duration timeout) {}

  /** Creates the pending approval, or returns the one that already exists for the subject. */
  @Transactional
  public Approval request(ApprovalRequest request) {
    Instant now = clock.instant();
    return approvals.insertIfAbsent(
        new Approval(
            ApprovalId.of(Ids.newId()),
            request.tenantId(),
            request.kind(),
            request.subjectId(),
            request.summary(),
            ApprovalStatus.PENDING,
            now,
            now.plus(request.timeout()),
            null,
            null,
            null,
            null,
            null,
            null,
            null));
  }

  public Optional<Approval> find(ApprovalId approvalId) {
    return approvals.find(approvalId.value());
  }

  public Approval get(TenantId tenant, ApprovalId approvalId) {
    return approvals
        .find(tenant, approvalId.value())
        .orElseThrow(() -> ApiException.notFound("Approval", approvalId));
  }

  /** The variables that complete a user task according to the recorded decision. */
  public static Map<String, Object> decisionVariables(Approval approval) {
    return Map.of(ApprovalGate.DECISION, approval.status().value());
  }

  public Page<Approval> list(TenantId tenant, ApprovalStatus status, String kind, PageQuery page) {
    return Page.of(
        approvals.list(tenant, status, kind, page), approvals.count(tenant, status, kind), page);
  }

  /**
   * An API decision: 409 unless the approval is still pending and not past its expiry. A late
   * decision records the expiry it ran into, which the 409 must not roll back.
   */
  @Transactional(noRollbackFor = IllegalTransitionException.class)
  public Approval decide(
      TenantId tenant,
      ApprovalId approvalId,
      ApprovalStatus decision,
      String editedText,
      String reason,
      String decidedBy) {
    Approval approval = get(tenant, approvalId);
    Instant now = clock.instant();
    if (approval.status() == ApprovalStatus.PENDING && !approval.expiresAt().isAfter(now)) {
      approvals.decide(approvalId.value(), ApprovalStatus.EXPIRED, "timer", null, null, now);
      approval = get(tenant, approvalId);
    }
    if (approval.status().isDecided()
        || !approvals.decide(approvalId.value(), decision, decidedBy, editedText, reason, now)) {
      throw get(tenant, approvalId).status().refusedDecision(approvalId.value());
    }
    return get(tenant, approvalId);
  }

  /**
   * Records a decision reached inside the engine (Tasklist form, expiry timer) unless one was
   * recorded before, and returns the decision that stands.
   */
  @Transactional
  public Approval settle(
      ApprovalId approvalId,
      ApprovalStatus decision,
      String decidedBy,
      String editedText,
      String reason) {
    approvals.decide(approvalId.value(), decision, decidedBy, editedText, reason, clock.instant());
    return find(approvalId)
        .orElseThrow(() -> new IllegalStateException("Approval " + approvalId + " is gone"));
  }

  /**
   * Takes back a pending approval because its subject went away (a campaign cancelled while it
   * waited): recorded as rejected by Flowmate with the reason, so no approver acts on it later.
   */
  public void withdraw(ApprovalId approvalId, String reason) {
    approvals.decide(
        approvalId.value(), ApprovalStatus.REJECTED, "flowmate", null, reason, clock.instant());
  }

  /**
   * Records the instance a module started for the approval: only its user task is tracked, and only
   * it may record a decision taken in Tasklist.
   */
  public void attachProcess(ApprovalId approvalId, long processInstanceKey) {
    approvals.attachProcess(approvalId.value(), processInstanceKey, epoch.value());
  }

  /**
   * @return false if another instance of this epoch tracks the approval already
   */
  public boolean attachUserTask(ApprovalId approvalId, long userTaskKey, long processInstanceKey) {
    return approvals.attachUserTask(
        approvalId.value(), userTaskKey, processInstanceKey, epoch.value());
  }

  /** Whether the approval's user task, in this engine, belongs to the instance. */
  public boolean isTrackedBy(Approval approval, long processInstanceKey) {
    return epoch.value().equals(approval.engineEpoch())
        && approval.processInstanceKey() != null
        && approval.processInstanceKey() == processInstanceKey;
  }

  /**
   * The approval a job names, for a worker that must not trust its variables: refused (see {@link
   * ForgedJob}) unless it is the tenant's approval of this very subject.
   */
  public Approval forSubject(TenantId tenant, String kind, UUID subjectId, String approvalId) {
    UUID id = ForgedJob.uuid(ApprovalGate.APPROVAL_ID, approvalId);
    return approvals
        .find(tenant, id)
        .filter(a -> a.kind().equals(kind) && a.subjectId().equals(subjectId))
        .orElseThrow(() ->
            ForgedJob.refuse(
                "approval %s is not the %s approval of %s %s"
                    .formatted(id, kind, kind, subjectId)));
  }

  /**
   * Completes the approval's user task to match a recorded decision, if the task lives in the
   * current engine. A failure is harmless: the task listener or the expiry path catches up.
   */
  public void completeUserTask(Approval approval) {
    if (!approval.status().isDecided()
        || approval.status() == ApprovalStatus.EXPIRED
        || approval.userTaskKey() == null) {
      return;
    }
    try {
      // The epoch is checked where no recycle can change it: an older epoch's task key may name
      // another task in the current engine.
      gate.pass(() -> {
        if (epoch.value().equals(approval.engineEpoch())) {
          humanTasks.complete(approval.userTaskKey(), decisionVariables(approval));
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.info(
          "User task {} of approval {} not completed now ({}); it follows the recorded"
              + " decision when it is next seen",
          approval.userTaskKey(),
          approval.id(),
          e.getMessage());
    }
  }
}
