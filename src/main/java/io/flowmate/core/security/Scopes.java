package io.flowmate.core.security;

import io.flowmate.core.InvalidValueException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scope vocabulary of API keys, in the reference API's {@code family:level} form.
 *
 * <p>Rules: {@code family:manage} also grants {@code family:read}; {@code messages:send} does not
 * grant {@code messages:read} (reading chats is a separate, privacy-relevant right); {@code *}
 * grants every tenant scope but not the operator-only {@code tenants} family, which only keys of
 * the operator tenant (the one created on first start) can hold.
 */
public final class Scopes {

  public static final String WILDCARD = "*";

  public static final String SESSIONS_READ = "sessions:read";
  public static final String SESSIONS_MANAGE = "sessions:manage";
  public static final String MESSAGES_READ = "messages:read";
  public static final String MESSAGES_SEND = "messages:send";
  public static final String LABELS_READ = "labels:read";
  public static final String LABELS_MANAGE = "labels:manage";
  public static final String APPROVALS_READ = "approvals:read";
  public static final String APPROVALS_MANAGE = "approvals:manage";
  public static final String PROCESSES_READ = "processes:read";
  public static final String PROCESSES_MANAGE = "processes:manage";
  public static final String CUSTOM_GROUPS_READ = "custom-groups:read";
  public static final String CUSTOM_GROUPS_MANAGE = "custom-groups:manage";
  public static final String SCHEDULED_READ = "scheduled:read";
  public static final String SCHEDULED_MANAGE = "scheduled:manage";
  public static final String BULK_SEND_READ = "bulk-send:read";
  public static final String BULK_SEND_MANAGE = "bulk-send:manage";
  public static final String LEADS_READ = "leads:read";
  public static final String LEADS_MANAGE = "leads:manage";
  public static final String GROUPS_READ = "groups:read";
  public static final String GROUPS_MANAGE = "groups:manage";
  public static final String REPORTS_READ = "reports:read";
  public static final String REPORTS_MANAGE = "reports:manage";
  public static final String SETTINGS_MANAGE = "settings:manage";
  public static final String ACCOUNT_MANAGE = "account:manage";
  public static final String USAGE_READ = "usage:read";
  public static final String TENANTS_READ = "tenants:read";
  public static final String TENANTS_MANAGE = "tenants:manage";

  /** Families whose scopes only operator keys may hold and {@code *} does not imply. */
  public static final Set<String> OPERATOR_FAMILIES = Set.of("tenants");

  /** Every family with its levels: the reference API's families plus Flowmate's own. */
  public static final Map<String, List<String>> FAMILIES = families();

  /** Named presets a key can be created from instead of listing scopes. */
  public static final Map<String, List<String>> PRESETS =
      Map.of(
          "messaging",
          List.of(SESSIONS_READ, MESSAGES_SEND, MESSAGES_READ, LABELS_READ, GROUPS_READ),
          "outreach",
          List.of(
              SESSIONS_READ,
              MESSAGES_SEND,
              CUSTOM_GROUPS_MANAGE,
              BULK_SEND_MANAGE,
              SCHEDULED_MANAGE,
              LEADS_READ,
              APPROVALS_READ),
          "read_only",
          readOnly());

  private Scopes() {}

  private static Map<String, List<String>> families() {
    Map<String, List<String>> families = new LinkedHashMap<>();
    for (String family :
        List.of(
            "sessions",
            "groups",
            "labels",
            "webhooks",
            "custom-groups",
            "bulk-send",
            "scheduled",
            "reports",
            "leads",
            "ai",
            "a2a",
            "reviews",
            "approvals",
            "processes",
            "tenants")) {
      families.put(family, List.of("read", "manage"));
    }
    families.put("messages", List.of("read", "send"));
    families.put("settings", List.of("read", "manage"));
    families.put("usage", List.of("read"));
    families.put("billing", List.of("read", "manage"));
    families.put("account", List.of("manage"));
    families.put("gdpr", List.of("manage"));
    return Map.copyOf(families);
  }

  private static List<String> readOnly() {
    List<String> scopes = new ArrayList<>();
    FAMILIES.forEach((family, levels) -> {
      if (levels.contains("read") && !OPERATOR_FAMILIES.contains(family)) {
        scopes.add(family + ":read");
      }
    });
    return scopes.stream().sorted().toList();
  }

  /**
   * Validates and normalises requested scopes (trimmed, lower-cased, de-duplicated).
   *
   * @throws InvalidValueException naming the first unknown scope and the valid families
   */
  public static Set<String> parse(Collection<String> requested) {
    Set<String> scopes = new TreeSet<>();
    for (String raw : requested) {
      String scope = raw == null ? "" : raw.trim().toLowerCase();
      if (!scope.equals(WILDCARD) && !isKnown(scope)) {
        throw new InvalidValueException(
            "Unknown scope '%s': use family:level with a family among %s, or '*'"
                .formatted(raw, new TreeSet<>(FAMILIES.keySet())));
      }
      scopes.add(scope);
    }
    return scopes;
  }

  private static boolean isKnown(String scope) {
    int colon = scope.indexOf(':');
    if (colon < 0) {
      return false;
    }
    List<String> levels = FAMILIES.get(scope.substring(0, colon));
    return levels != null && levels.contains(scope.substring(colon + 1));
  }

  /** Whether holding {@code granted} allows an action that requires {@code required}. */
  public static boolean grants(Collection<String> granted, String required) {
    String family = required.substring(0, required.indexOf(':'));
    if (granted.contains(required)) {
      return true;
    }
    if (granted.contains(WILDCARD) && !OPERATOR_FAMILIES.contains(family)) {
      return true;
    }
    return required.endsWith(":read") && granted.contains(family + ":manage");
  }
}
