package io.flowmate.workflow.approval;

import io.flowmate.core.ApprovalId;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Flowmate's own approval inbox: the same user tasks Camunda Tasklist shows on a real cluster,
 * decided here with an API key.
 */
@RestController
@RequestMapping("/api/v2/approvals")
@Tag(name = "Approvals", description = "Human approval of outgoing messages and campaigns")
class ApprovalController {

  private final Approvals approvals;

  ApprovalController(Approvals approvals) {
    this.approvals = approvals;
  }

  record ApprovalView(
      UUID id,
      String kind,
      UUID subjectId,
      ApprovalStatus status,
      Map<String, Object> summary,
      Instant requestedAt,
      Instant expiresAt,
      Instant decidedAt,
      String decidedBy,
      String editedText,
      String reason) {

    static ApprovalView of(Approval a) {
      return new ApprovalView(
          a.id().value(),
          a.kind(),
          a.subjectId(),
          a.status(),
          a.summary(),
          a.requestedAt(),
          a.expiresAt(),
          a.decidedAt(),
          a.decidedBy(),
          a.editedText(),
          a.reason());
    }
  }

  /** Approve as is, or with {@code edited_text} replacing the text that will be sent. */
  record ApproveRequest(
      @Size(min = 1, max = Approvals.MAX_TEXT_LENGTH)
          @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
          String editedText) {}

  record RejectRequest(@NotBlank @Size(max = 1000) String reason) {}

  @GetMapping
  @RequiresScope(Scopes.APPROVALS_READ)
  @Operation(summary = "List approvals, newest first; filter by status and kind")
  Page<ApprovalView> list(
      Caller caller,
      @RequestParam(required = false) ApprovalStatus status,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return approvals
        .list(caller.tenantId(), status, kind, PageQuery.of(limit, offset))
        .map(ApprovalView::of);
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.APPROVALS_READ)
  ApprovalView get(Caller caller, @PathVariable UUID id) {
    return ApprovalView.of(approvals.get(caller.tenantId(), ApprovalId.of(id)));
  }

  @PostMapping("/{id}/approve")
  @RequiresScope(Scopes.APPROVALS_MANAGE)
  @Operation(summary = "Approve; with edited_text the edited text is what gets sent")
  ApprovalView approve(
      Caller caller,
      @PathVariable UUID id,
      @Valid @RequestBody(required = false) ApproveRequest request) {
    Approval approval =
        approvals.decide(
            caller.tenantId(),
            ApprovalId.of(id),
            ApprovalStatus.APPROVED,
            request == null ? null : request.editedText(),
            null,
            "api-key:" + caller.apiKeyId());
    approvals.completeUserTask(approval);
    return ApprovalView.of(approval);
  }

  @PostMapping("/{id}/reject")
  @RequiresScope(Scopes.APPROVALS_MANAGE)
  @Operation(summary = "Reject with a reason; nothing is sent")
  ApprovalView reject(
      Caller caller, @PathVariable UUID id, @Valid @RequestBody RejectRequest request) {
    Approval approval =
        approvals.decide(
            caller.tenantId(),
            ApprovalId.of(id),
            ApprovalStatus.REJECTED,
            null,
            request.reason().trim(),
            "api-key:" + caller.apiKeyId());
    approvals.completeUserTask(approval);
    return ApprovalView.of(approval);
  }
}
