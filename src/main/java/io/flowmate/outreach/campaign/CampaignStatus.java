package io.flowmate.outreach.campaign;

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
        "status must be one of pending, running, paused, completed, cancelled, failed; not '%s'".formatted(value));
  }

  boolean isFinished() {
    return this == COMPLETED || this == CANCELLED || this == FAILED;
  }
}
