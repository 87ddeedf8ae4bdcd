package io.flowmate.admin.tenant;

import io.flowmate.admin.TenantSettings;
import io.flowmate.admin.Tenants;
import io.flowmate.core.ChatId;
import io.flowmate.core.InvalidValueException;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v2/tenant/settings")
@Tag(name = "Tenant settings")
class TenantSettingsController {

  private final Tenants tenants;
  private final TenantRepository repository;
  private final TenantChatHistoryGate chatHistory;
  private final Clock clock;

  TenantSettingsController(
      Tenants tenants,
      TenantRepository repository,
      TenantChatHistoryGate chatHistory,
      Clock clock) {
    this.tenants = tenants;
    this.repository = repository;
    this.chatHistory = chatHistory;
    this.clock = clock;
  }

  /**
   * Fields left out (or null) keep their value; {@code allowed_numbers: []} clears the list, and
   * {@code quiet_hours_start} and {@code quiet_hours_end} as {@code ""} remove the quiet hours.
   */
  record SettingsPatch(
      @Size(max = 1000) List<String> allowedNumbers,
      Boolean requireApproval,
      Boolean reciprocityCheck,
      Boolean aiConsentEnabled,
      Boolean chatHistoryAccessEnabled,
      String timezone,
      String quietHoursStart,
      String quietHoursEnd) {}

  @GetMapping
  @RequiresScope({})
  @Operation(summary = "Read the tenant's settings (any key)")
  TenantSettings get(Caller caller) {
    return tenants.settings(caller.tenantId());
  }

  @PatchMapping
  @Transactional
  @RequiresScope(Scopes.SETTINGS_MANAGE)
  @Operation(summary = "Change some of the tenant's settings")
  TenantSettings patch(Caller caller, @Valid @RequestBody SettingsPatch patch) {
    TenantSettings current = tenants.settings(caller.tenantId());
    TenantSettings updated =
        new TenantSettings(
            patch.allowedNumbers() == null
                ? current.allowedNumbers()
                : normalisedNumbers(patch.allowedNumbers()),
            Objects.requireNonNullElse(patch.requireApproval(), current.requireApproval()),
            Objects.requireNonNullElse(patch.reciprocityCheck(), current.reciprocityCheck()),
            Objects.requireNonNullElse(patch.aiConsentEnabled(), current.aiConsentEnabled()),
            Objects.requireNonNullElse(
                patch.chatHistoryAccessEnabled(), current.chatHistoryAccessEnabled()),
            patch.timezone() == null ? current.timezone() : validZone(patch.timezone()),
            patch.quietHoursStart() == null
                ? current.quietHoursStart()
                : time(patch.quietHoursStart()),
            patch.quietHoursEnd() == null ? current.quietHoursEnd() : time(patch.quietHoursEnd()));
    if ((updated.quietHoursStart() == null) != (updated.quietHoursEnd() == null)
        || (updated.quietHoursStart() != null
            && updated.quietHoursStart().equals(updated.quietHoursEnd()))) {
      throw new InvalidValueException(
          "quiet_hours_start and quiet_hours_end go together (e.g. \"21:00\" and \"08:00\") and"
              + " must differ; send both as \"\" to remove the quiet hours");
    }
    repository.updateSettings(caller.tenantId(), updated, clock.instant());
    chatHistory.forget(caller.tenantId());
    return updated;
  }

  private static List<String> normalisedNumbers(List<String> numbers) {
    var normalised = new LinkedHashSet<String>();
    for (String number : numbers) {
      ChatId chat = ChatId.parse(number);
      normalised.add(
          chat.phoneNumber()
              .orElseThrow(() ->
                  new InvalidValueException(
                      "allowed_numbers takes phone numbers, not '%s'".formatted(number))));
    }
    return List.copyOf(normalised);
  }

  private static LocalTime time(String value) {
    if (value.isBlank()) {
      return null;
    }
    try {
      return LocalTime.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidValueException("'%s' is not a time of day such as 21:00".formatted(value));
    }
  }

  static String validZone(String zone) {
    try {
      return ZoneId.of(zone.trim()).getId();
    } catch (DateTimeException e) {
      throw new InvalidValueException(
          "timezone '%s' is not an IANA time zone such as Europe/Berlin or America/New_York"
              .formatted(zone));
    }
  }
}
