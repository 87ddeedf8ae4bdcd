package io.flowmate.analytics.health;

import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The read-only account health report of the reference's onboarding module (§1.9, §6). */
@RestController
@RequestMapping("/api/v2/onboarding")
@Tag(name = "Onboarding", description = "Read-only account health and growth report")
class OnboardingController {

  private final HealthReport health;

  OnboardingController(HealthReport health) {
    this.health = health;
  }

  @GetMapping("/health")
  @RequiresScope(Scopes.USAGE_READ)
  @Operation(
      summary = "Account health: what needs attention, with the API calls that fix it",
      description =
          "Sections: sessions (needs sessions:read), unanswered_contacts and vip_contacts (messages:read;"
              + " who they are only with chat_history_access_enabled), cold_leads (leads:read),"
              + " unmonitored_groups (groups:read), usage (usage:read). A section the key may not read is"
              + " skipped and names the scope. Read-only: nothing changes, not even unread counters.")
  HealthReport.View health(Caller caller) {
    return health.scan(caller);
  }
}
