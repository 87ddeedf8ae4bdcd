package io.flowmate.support;

import io.flowmate.core.ApprovalId;
import io.flowmate.core.TenantId;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.ApprovalStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Approvals as a worker finds them in PostgreSQL, for worker unit tests. */
public final class TestApprovals {

  public static final Instant REQUESTED_AT = Instant.parse("2026-03-02T09:00:00Z");
  public static final Instant EXPIRES_AT = Instant.parse("2026-03-05T09:00:00Z");

  private TestApprovals() {}

  /** A new approval of the subject at the given status, with neither edited text nor reason. */
  public static Approval approval(
      TenantId tenant, String kind, UUID subjectId, ApprovalStatus status) {
    return decided(ApprovalId.of(UUID.randomUUID()), tenant, kind, subjectId, status, null, null);
  }

  public static Approval decided(
      UUID id,
      TenantId tenant,
      String kind,
      UUID subjectId,
      ApprovalStatus status,
      String editedText,
      String reason) {
    return decided(ApprovalId.of(id), tenant, kind, subjectId, status, editedText, reason);
  }

  public static Approval decided(
      ApprovalId id,
      TenantId tenant,
      String kind,
      UUID subjectId,
      ApprovalStatus status,
      String editedText,
      String reason) {
    return new Approval(
        id,
        tenant,
        kind,
        subjectId,
        Map.of(),
        status,
        REQUESTED_AT,
        EXPIRES_AT,
        status.isDecided() ? REQUESTED_AT.plusSeconds(3600) : null,
        status.isDecided() ? "api" : null,
        editedText,
        reason,
        null,
        null,
        null);
  }
}
