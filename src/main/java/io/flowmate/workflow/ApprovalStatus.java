package io.flowmate.workflow;

import io.flowmate.core.api.IllegalTransitionException;
import java.util.List;
import java.util.UUID;

/**
 * Where an approval stands: {@code pending} until it is decided once, as approved, rejected or
 * expired.
 */
public enum ApprovalStatus {
  PENDING,
  APPROVED,
  REJECTED,
  EXPIRED;

  public String value() {
    return name().toLowerCase();
  }

  public static ApprovalStatus of(String value) {
    return valueOf(value.toUpperCase());
  }

  public boolean isDecided() {
    return this != PENDING;
  }

  /**
   * The statuses an approval may move to this one from, the only place that says so: a pending
   * approval is decided once, and a decision is never changed.
   */
  public List<ApprovalStatus> reachableFrom() {
    return this == PENDING ? List.of() : List.of(PENDING);
  }

  /** The 409 for deciding an approval that stands at this status. */
  IllegalTransitionException refusedDecision(UUID approvalId) {
    return new IllegalTransitionException(
        "Approval '%s' is already %s".formatted(approvalId, value()));
  }
}
