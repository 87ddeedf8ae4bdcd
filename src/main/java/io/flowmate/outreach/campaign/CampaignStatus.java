package io.flowmate.outreach.campaign;

import io.flowmate.core.api.IllegalTransitionException;
import java.util.List;
import java.util.UUID;

/**
 * Where a bulk-send campaign stands: {@code pending} (validating or awaiting approval) → {@code
 * running} ⇄ {@code paused} → {@code completed}, or {@code cancelled} / {@code failed} with a
 * reason.
 */
public enum CampaignStatus {
  PENDING,
  RUNNING,
  PAUSED,
  COMPLETED,
  CANCELLED,
  FAILED;

  public String value() {
    return name().toLowerCase();
  }

  static CampaignStatus of(String value) {
    return valueOf(value.toUpperCase());
  }

  /** A status as a client wrote it: 400 with the allowed values if it is none. */
  static CampaignStatus parse(String value) {
    for (CampaignStatus status : values()) {
      if (status.value().equals(value)) {
        return status;
      }
    }
    throw io.flowmate.core.api.ApiException.invalid(
        "status must be one of pending, running, paused, completed, cancelled, failed; not '%s'"
            .formatted(value));
  }

  boolean isFinished() {
    return this == COMPLETED || this == CANCELLED || this == FAILED;
  }

  /**
   * Every move of a campaign's lifecycle, from the statuses it allows: the only place that says
   * which change of status is legal. {@link CampaignRepository#move} carries one out.
   */
  enum Move {
    /** Validated (and approved): planning and sending begin. */
    START(List.of(PENDING), RUNNING, "started"),
    PAUSE(List.of(RUNNING), PAUSED, "paused"),
    RESUME(List.of(PAUSED), RUNNING, "resumed"),
    /** Every message planned and none left waiting. */
    COMPLETE(List.of(RUNNING, PAUSED), COMPLETED, "completed"),
    /** By the API, or by the process when the approval was rejected or expired. */
    CANCEL(List.of(PENDING, RUNNING, PAUSED), CANCELLED, "cancelled"),
    /** Validation found it cannot run (session or audience gone). */
    FAIL(List.of(PENDING), FAILED, "failed");

    private final List<CampaignStatus> from;
    private final CampaignStatus to;
    private final String verb;

    Move(List<CampaignStatus> from, CampaignStatus to, String verb) {
      this.from = from;
      this.to = to;
      this.verb = verb;
    }

    List<CampaignStatus> from() {
      return from;
    }

    CampaignStatus to() {
      return to;
    }

    boolean allowedFrom(CampaignStatus status) {
      return from.contains(status);
    }

    /** The 409 for a campaign whose status does not allow this move. */
    IllegalTransitionException refused(UUID id, CampaignStatus current) {
      return IllegalTransitionException.of(
          "Job",
          id,
          current.value(),
          from.stream().map(CampaignStatus::value).toList(),
          "job",
          verb);
    }
  }
}
