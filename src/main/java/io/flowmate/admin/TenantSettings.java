package io.flowmate.admin;

import java.time.LocalTime;
import java.util.List;

/**
 * A tenant's policy settings (reference API {@code /tenant/settings}, plus Flowmate's own {@code
 * reciprocity_check} and {@code timezone}).
 *
 * @param allowedNumbers when not empty, only these E.164 numbers (digits, no '+') may be messaged
 * @param requireApproval every outgoing message waits for a human approval first
 * @param reciprocityCheck only contacts who wrote first may be messaged (enforced by the sender)
 * @param timezone IANA zone for quiet hours, schedules and reports
 * @param quietHoursStart with {@code quietHoursEnd}: no message leaves between these local times
 *     (the end may be after midnight); both null means no quiet hours
 */
public record TenantSettings(
    List<String> allowedNumbers,
    boolean requireApproval,
    boolean reciprocityCheck,
    boolean aiConsentEnabled,
    boolean chatHistoryAccessEnabled,
    String timezone,
    LocalTime quietHoursStart,
    LocalTime quietHoursEnd) {

  public TenantSettings {
    allowedNumbers = List.copyOf(allowedNumbers);
  }

  /** Whether the whitelist (if any) lets us message this E.164 number. */
  public boolean allowsNumber(String e164Digits) {
    return allowedNumbers.isEmpty() || allowedNumbers.contains(e164Digits);
  }
}
