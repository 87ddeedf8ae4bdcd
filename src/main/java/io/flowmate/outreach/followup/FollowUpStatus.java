package io.flowmate.outreach.followup;

import java.util.List;
import java.util.Locale;

/**
 * Where one contact's follow-up stands: {@code waiting} for a reply or the next round, then {@code
 * replied} (the contact wrote), {@code completed} (every round sent) or {@code cancelled} (the rule
 * was deleted, or the contact left the audience).
 */
enum FollowUpStatus {
  WAITING,
  REPLIED,
  COMPLETED,
  CANCELLED;

  String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  static FollowUpStatus of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /**
   * The statuses a follow-up may move to this one from, the only place that says so: a waiting
   * follow-up ends once, in any of the final statuses, and nothing returns to waiting.
   */
  List<FollowUpStatus> reachableFrom() {
    return this == WAITING ? List.of() : List.of(WAITING);
  }
}
