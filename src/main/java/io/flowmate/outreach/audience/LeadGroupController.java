package io.flowmate.outreach.audience;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.LeadId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.leads.Leads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Copies leads' phone numbers (and names) into a custom group, so that a campaign, a schedule or a
 * follow-up rule can reach them: MoltFlow's {@code POST /leads/bulk/add-to-group}. It lives with
 * custom groups because that is what it changes; the leads are read through the leads module's
 * public API.
 */
@RestController
@RequestMapping("/api/v2/leads/bulk")
@Tag(name = "Leads")
class LeadGroupController {

  private final Leads leads;
  private final CustomGroupService groups;
  private final Tenants tenants;

  LeadGroupController(Leads leads, CustomGroupService groups, Tenants tenants) {
    this.leads = leads;
    this.groups = groups;
    this.tenants = tenants;
  }

  record AddToGroup(List<UUID> leadIds, UUID customGroupId) {}

  /** One lead that could not be added, and why. */
  record LeadError(UUID leadId, String detail) {}

  record AddedLeads(
      long added, long skipped, long failed, List<LeadError> errors, long memberCount) {}

  @PostMapping("/add-to-group")
  @RequiresScope({Scopes.LEADS_READ, Scopes.CUSTOM_GROUPS_MANAGE})
  @Operation(
      summary = "Copy leads' phone numbers into a custom group (Pro+)",
      description =
          "lead_ids (1-1,000) and custom_group_id are required. Leads already in the group are skipped;"
              + " unknown lead ids are reported in errors[] and do not stop the others.")
  AddedLeads addToGroup(Caller caller, @RequestBody(required = false) AddToGroup request) {
    PlanLimits limits = tenants.limits(caller.tenantId());
    if (!limits.bulkLeadOperationsEnabled()) {
      throw ApiException.forbidden(
          "Bulk lead operations are not included in the %s plan; upgrade to Pro or higher"
              .formatted(limits.displayName()));
    }
    if (request == null || request.customGroupId() == null) {
      throw ApiException.invalid("custom_group_id is required");
    }
    if (request.leadIds() == null || request.leadIds().isEmpty()) {
      throw ApiException.invalid("lead_ids must name at least one lead");
    }
    if (request.leadIds().contains(null)) {
      throw ApiException.invalid("lead_ids must not contain null");
    }
    if (request.leadIds().size() > CustomGroupService.MAX_CONTACTS_PER_REQUEST) {
      throw ApiException.invalid(
          "lead_ids may name at most %d leads, got %d"
              .formatted(CustomGroupService.MAX_CONTACTS_PER_REQUEST, request.leadIds().size()));
    }
    Set<UUID> wanted = new LinkedHashSet<>(request.leadIds());
    Map<UUID, Leads.LeadSummary> found =
        leads.find(caller.tenantId(), wanted.stream().map(LeadId::of).toList()).stream()
            .collect(Collectors.toMap(lead -> lead.id().value(), Function.identity()));
    List<LeadError> errors = new ArrayList<>();
    List<UUID> memberLeads = new ArrayList<>();
    List<CustomGroupService.MemberInput> members = new ArrayList<>();
    for (UUID id : wanted) {
      Leads.LeadSummary lead = found.get(id);
      if (lead == null) {
        errors.add(new LeadError(id, "Lead %s not found".formatted(id)));
      } else {
        memberLeads.add(id);
        members.add(
            new CustomGroupService.MemberInput(lead.contactPhone(), lead.contactName(), Map.of()));
      }
    }
    if (members.isEmpty()) {
      long memberCount = groups.get(caller.tenantId(), request.customGroupId()).memberCount();
      return new AddedLeads(0, 0, errors.size(), errors, memberCount);
    }
    CustomGroupService.Added added =
        groups.addMembers(caller.tenantId(), request.customGroupId(), members);
    MemberBatches.Outcome outcome = added.outcome();
    for (MemberBatches.RowError row : outcome.errors()) {
      errors.add(
          new LeadError(row.index() == null ? null : memberLeads.get(row.index()), row.reason()));
    }
    return new AddedLeads(
        outcome.added(),
        outcome.skipped(),
        outcome.failed() + (wanted.size() - members.size()),
        errors,
        added.memberCount());
  }
}
