package io.flowmate.analytics.readmodel;

import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operator rebuilds the analytics read models from the stored messages. */
@RestController
@RequestMapping("/api/v2/analytics")
@Tag(name = "Analytics", description = "Campaign funnels, contact engagement and best send times")
class AnalyticsRebuildController {

  private final AnalyticsRebuild rebuild;

  AnalyticsRebuildController(AnalyticsRebuild rebuild) {
    this.rebuild = rebuild;
  }

  record RebuildView(long messages, Instant rebuiltAt) {}

  @PostMapping("/rebuild")
  @RequiresScope(Scopes.TENANTS_MANAGE)
  @Operation(
      summary = "Rebuild every tenant's analytics from the stored messages (operator)",
      description =
          "Replays every stored message through the same rules as the live counting. Recording new messages"
              + " waits while it runs (it is exact that way): run it at a quiet time on a large database."
              + " Needed after running with flowmate.analytics.read-models.enabled=false.")
  RebuildView rebuild() {
    AnalyticsRebuild.Outcome outcome = rebuild.rebuild(false);
    return new RebuildView(outcome.messages(), outcome.rebuiltAt());
  }
}
