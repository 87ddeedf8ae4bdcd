package io.flowmate.leads.pipeline;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * MoltFlow-compatible leads API (reference §1.4), plus {@code POST /leads} to enter a lead by hand
 * until group monitoring detects them. Status changes are decided by {@code
 * dmn/leads-status-transition.dmn}; a refused move is a 400 whose detail is the decision's reason.
 */
@RestController
@RequestMapping("/api/v2/leads")
@Tag(name = "Leads", description = "The lead pipeline: new, contacted, qualified, converted, lost")
class LeadController {

  private final LeadService leads;
  private final LeadExports exports;
  private final LeadReciprocity reciprocity;
  private final LeadTimeline timeline;

  LeadController(
      LeadService leads, LeadExports exports, LeadReciprocity reciprocity, LeadTimeline timeline) {
    this.leads = leads;
    this.exports = exports;
    this.reciprocity = reciprocity;
    this.timeline = timeline;
  }

  record SourceGroupView(UUID id, String name) {}

  record TriggerView(
      String matchedKeyword, String messagePreview, String monitorMode, Instant detectedAt) {}

  record LeadView(
      UUID id,
      String contactPhone,
      String contactName,
      String leadStatus,
      Integer leadScore,
      Instant leadDetectedAt,
      SourceGroupView sourceGroup,
      TriggerView trigger,
      Instant statusChangedAt,
      String scoreReason,
      Instant scoredAt,
      String suggestedStatus,
      Instant lastActivityAt,
      Instant createdAt,
      Instant updatedAt) {

    static LeadView of(Lead lead) {
      Lead.Trigger trigger = lead.trigger();
      return new LeadView(
          lead.id(),
          lead.contactPhone(),
          lead.contactName(),
          lead.status().value(),
          lead.score(),
          lead.detectedAt(),
          lead.sourceGroupId() == null
              ? null
              : new SourceGroupView(lead.sourceGroupId(), lead.sourceGroupName()),
          trigger == null
              ? null
              : new TriggerView(
                  trigger.matchedKeyword(),
                  trigger.messagePreview(),
                  trigger.monitorMode(),
                  lead.detectedAt()),
          lead.statusChangedAt(),
          lead.scoring().reason(),
          lead.scoring().scoredAt(),
          lead.scoring().suggestedStatus() == null
              ? null
              : lead.scoring().suggestedStatus().value(),
          lead.lastActivityAt(),
          lead.createdAt(),
          lead.updatedAt());
    }
  }

  record LeadList(List<LeadView> leads, long total, int limit, int offset) {}

  record StatusChange(String status) {}

  record BulkStatusChange(List<UUID> leadIds, String status) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.LEADS_MANAGE)
  @Operation(
      summary = "Enter a lead by hand (Flowmate)",
      description =
          "contact_phone (E.164, with or without '+', or <phone>@c.us) is required; contact_name, lead_score"
              + " (1-10) and source_group_id/source_group_name are optional. The lead starts as new; one lead"
              + " per phone number (409 names the existing one).")
  LeadView create(Caller caller, @RequestBody(required = false) LeadService.NewLead request) {
    return LeadView.of(leads.create(caller.tenantId(), request));
  }

  @GetMapping
  @RequiresScope(Scopes.LEADS_READ)
  @Operation(
      summary =
          "List leads; filter by status, source_group_id, search (name, phone or keyword), score and date",
      description =
          "sort: created_at (default), lead_detected_at, lead_score, last_activity_at; order: desc (default) or asc."
              + " min_score (1-10); detected_after / detected_before (ISO-8601 instants).")
  LeadList list(
      Caller caller,
      @RequestParam(required = false) String status,
      @RequestParam(name = "source_group_id", required = false) UUID sourceGroupId,
      @RequestParam(required = false) String search,
      @RequestParam(name = "min_score", required = false) Integer minScore,
      @RequestParam(name = "detected_after", required = false) String detectedAfter,
      @RequestParam(name = "detected_before", required = false) String detectedBefore,
      @RequestParam(required = false) String sort,
      @RequestParam(required = false) String order,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    LeadService.LeadPage page =
        leads.list(
            caller.tenantId(),
            filter(status, sourceGroupId, search, minScore, detectedAfter, detectedBefore),
            sort(sort),
            ascending(order),
            PageQuery.of(limit, offset));
    return new LeadList(
        page.leads().stream().map(LeadView::of).toList(),
        page.total(),
        page.page().limit(),
        page.page().offset());
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.LEADS_READ)
  @Operation(
      summary =
          "A lead with its source group, what detected it, its score's reason and its timeline",
      description =
          "timeline, newest first: detection, status changes (by a user, in bulk or automatically), scores,"
              + " status suggestions and the latest messages either way.")
  LeadDetail get(Caller caller, @PathVariable UUID id) {
    Lead lead = leads.get(caller.tenantId(), id);
    return new LeadDetail(LeadView.of(lead), timeline.of(lead));
  }

  /** A lead and its timeline. */
  record LeadDetail(@JsonUnwrapped LeadView lead, List<LeadTimeline.Entry> timeline) {}

  @PatchMapping("/{id}/status")
  @RequiresScope(Scopes.LEADS_MANAGE)
  @Operation(
      summary = "Move a lead to another status",
      description =
          "Allowed moves come from dmn/leads-status-transition.dmn: new → contacted | qualified | converted |"
              + " lost; contacted → qualified | converted | lost; qualified → converted | lost; lost → new;"
              + " converted is final. A refused move is a 400 with the reason in detail.")
  LeadView changeStatus(
      Caller caller, @PathVariable UUID id, @RequestBody(required = false) StatusChange request) {
    return LeadView.of(
        leads.changeStatus(
            caller.tenantId(), id, requestedStatus(request == null ? null : request.status())));
  }

  @PostMapping("/bulk/status")
  @RequiresScope(Scopes.LEADS_MANAGE)
  @Operation(
      summary = "Move many leads to a status (Pro+), each validated on its own",
      description = "Returns {updated, failed, errors[{lead_id, detail}]}; at most 1,000 lead_ids.")
  LeadService.BulkResult changeStatuses(
      Caller caller, @RequestBody(required = false) BulkStatusChange request) {
    leads.requireBulkOperations(caller.tenantId());
    return leads.changeStatuses(
        caller.tenantId(),
        request == null ? null : request.leadIds(),
        requestedStatus(request == null ? null : request.status()));
  }

  @GetMapping("/{id}/reciprocity")
  @RequiresScope(Scopes.LEADS_READ)
  @Operation(
      summary = "Whether the lead has written to this number (so the number may write to them)")
  LeadReciprocity.Answer reciprocity(
      Caller caller, @PathVariable UUID id, @RequestParam("session_id") UUID sessionId) {
    return reciprocity.of(caller.tenantId(), id, sessionId);
  }

  @GetMapping(value = "/export/csv", produces = "text/csv")
  @RequiresScope(Scopes.LEADS_READ)
  @Operation(
      summary =
          "The leads as CSV (Pro+), newest first, at most 10,000 rows; same filters as the list")
  void exportCsv(
      Caller caller,
      @RequestParam(required = false) String status,
      @RequestParam(name = "source_group_id", required = false) UUID sourceGroupId,
      @RequestParam(required = false) String search,
      HttpServletResponse response)
      throws IOException {
    LeadRepository.Filter filter = filter(status, sourceGroupId, search, null, null, null);
    leads.requireBulkOperations(caller.tenantId());
    download(response, "text/csv;charset=UTF-8", "leads.csv");
    exports.csv(
        caller.tenantId(),
        filter,
        new BufferedWriter(
            new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 64 * 1024));
  }

  @GetMapping(value = "/export/json", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresScope(Scopes.LEADS_READ)
  @Operation(
      summary =
          "The leads as a JSON array (Pro+), newest first, at most 10,000; same filters as the list")
  void exportJson(
      Caller caller,
      @RequestParam(required = false) String status,
      @RequestParam(name = "source_group_id", required = false) UUID sourceGroupId,
      @RequestParam(required = false) String search,
      HttpServletResponse response)
      throws IOException {
    LeadRepository.Filter filter = filter(status, sourceGroupId, search, null, null, null);
    leads.requireBulkOperations(caller.tenantId());
    download(response, "application/json;charset=UTF-8", "leads.json");
    exports.json(caller.tenantId(), filter, LeadView::of, response.getOutputStream());
  }

  private static LeadRepository.Filter filter(
      String status,
      UUID sourceGroupId,
      String search,
      Integer minScore,
      String detectedAfter,
      String detectedBefore) {
    if (minScore != null && (minScore < 1 || minScore > 10)) {
      throw ApiException.invalid("min_score must be between 1 and 10, got %d".formatted(minScore));
    }
    Instant after = instant("detected_after", detectedAfter);
    Instant before = instant("detected_before", detectedBefore);
    if (after != null && before != null && !after.isBefore(before)) {
      throw ApiException.invalid("detected_after must be before detected_before");
    }
    return new LeadRepository.Filter(
        status == null || status.isBlank() ? null : LeadStatus.parse(status.strip()),
        sourceGroupId,
        search == null || search.isBlank() ? null : search.strip(),
        minScore,
        after,
        before);
  }

  private static Instant instant(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(value.strip()).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.invalid(
          "%s must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, not '%s'"
              .formatted(field, value));
    }
  }

  private static LeadRepository.Sort sort(String sort) {
    if (sort == null || sort.isBlank()) {
      return LeadRepository.Sort.CREATED_AT;
    }
    for (LeadRepository.Sort candidate : LeadRepository.Sort.values()) {
      if (candidate.value().equals(sort.strip())) {
        return candidate;
      }
    }
    throw ApiException.invalid(
        "sort must be one of created_at, lead_detected_at, lead_score, last_activity_at; not '%s'"
            .formatted(sort));
  }

  private static boolean ascending(String order) {
    if (order == null || order.isBlank() || order.strip().equalsIgnoreCase("desc")) {
      return false;
    }
    if (order.strip().equalsIgnoreCase("asc")) {
      return true;
    }
    throw ApiException.invalid("order must be asc or desc, not '%s'".formatted(order));
  }

  private static LeadStatus requestedStatus(String status) {
    if (status == null || status.isBlank()) {
      throw ApiException.invalid("status is required");
    }
    return LeadStatus.parse(status.strip());
  }

  /** Answers with a file to save rather than a page to show. */
  private static void download(HttpServletResponse response, String contentType, String filename) {
    response.setContentType(contentType);
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment().filename(filename).build().toString());
  }
}
