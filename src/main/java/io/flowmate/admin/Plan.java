package io.flowmate.admin;

/** The reference API's plan ids; each has a row of limits in {@code admin_plan}. */
public enum Plan {
  FREE,
  STARTER,
  PRO,
  BUSINESS;

  public String id() {
    return name().toLowerCase();
  }

  public static Plan fromId(String id) {
    return valueOf(id.toUpperCase());
  }
}
