package io.flowmate.admin.tenant;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v2/billing")
@Tag(name = "Plans")
class PlanController {

  private final PlanRepository plans;
  private final Tenants tenants;

  PlanController(PlanRepository plans, Tenants tenants) {
    this.plans = plans;
    this.tenants = tenants;
  }

  record PlansView(List<PlanLimits> plans) {}

  @GetMapping("/plans")
  @RequiresScope({})
  @Operation(summary = "Every plan with its limits (null means unlimited)")
  PlansView plans() {
    return new PlansView(plans.list());
  }

  @GetMapping("/plan")
  @RequiresScope({})
  @Operation(summary = "The calling tenant's plan and its limits")
  PlanLimits currentPlan(Caller caller) {
    return tenants.limits(caller.tenantId());
  }
}
