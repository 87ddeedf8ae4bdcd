package io.flowmate.outreach.followup;

import java.util.Locale;

/**
 * Where one contact's follow-up stands: {@code waiting} for a reply or the next round, then
 * {@code replied} (the contact wrote), {@code completed} (every round sent) or {@code cancelled}
 * (the rule was deleted, or the contact left the audience).
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
}
