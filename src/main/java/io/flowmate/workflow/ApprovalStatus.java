package io.flowmate.workflow;

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
}
