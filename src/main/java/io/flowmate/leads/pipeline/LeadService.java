package io.flowmate.leads.pipeline;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.PageQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Creating leads, reading them and moving them through the pipeline under the DMN's policy. */
@Service
class LeadService {

  static final int MAX_NAME_LENGTH = 255;
  static final int MAX_SOURCE_NAME_LENGTH = 255;
  static final int MAX_BULK_LEADS = 1_000;

  private final LeadRepository leads;
  private final LeadActivityRepository activity;
  private final LeadStatusTransitions transitions;
  private final Tenants tenants;
  private final TransactionTemplate transactions;
  private final Clock clock;

  LeadService(
      LeadRepository leads,
      LeadActivityRepository activity,
      LeadStatusTransitions transitions,
      Tenants tenants,
      TransactionTemplate transactions,
      Clock clock) {
    this.leads = leads;
    this.transactions = transactions;
    this.activity = activity;
    this.transitions = transitions;
    this.tenants = tenants;
    this.clock = clock;
  }

  /**
   * A lead entered by hand: a phone number, optionally a name, a score and the group it came from.
   */
  record NewLead(
      String contactPhone,
      String contactName,
      Integer leadScore,
      UUID sourceGroupId,
      String sourceGroupName) {}

  Lead create(TenantId tenant, NewLead request) {
    if (request == null) {
      throw ApiException.invalid("a body with contact_phone is required");
    }
    String phone = phone(request.contactPhone());
    String name = optionalText("contact_name", request.contactName(), MAX_NAME_LENGTH);
    String sourceName =
        optionalText("source_group_name", request.sourceGroupName(), MAX_SOURCE_NAME_LENGTH);
    if (sourceName != null && request.sourceGroupId() == null) {
      throw ApiException.invalid("source_group_name needs a source_group_id");
    }
    Integer score = request.leadScore();
    if (score != null && (score < 1 || score > 10)) {
      throw ApiException.invalid("lead_score must be between 1 and 10, got %d".formatted(score));
    }
    Instant now = now();
    Lead lead =
        new Lead(
            Ids.newId(),
            tenant,
            phone,
            name,
            LeadStatus.NEW,
            score,
            now,
            request.sourceGroupId(),
            sourceName,
            null,
            now,
            Lead.Scoring.NONE,
            now,
            now,
            now);
    if (!leads.insertIfAbsent(lead)) {
      UUID existing = leads.idOfPhone(tenant, phone).orElse(null);
      throw ApiException.conflict("a lead for %s already exists: %s".formatted(phone, existing));
    }
    return lead;
  }

  private static String phone(String raw) {
    return ChatId.tryParse(raw)
        .filter(chat -> chat.kind() == ChatId.Kind.CONTACT)
        .flatMap(ChatId::phoneNumber)
        .orElseThrow(() ->
            ApiException.invalid(
                raw == null || raw.isBlank()
                    ? "contact_phone is required"
                    : "contact_phone '%s' is not a phone number: use E.164 digits, e.g. 4915123456789 or +49 151 23456789"
                        .formatted(raw.length() > 40 ? raw.substring(0, 40) + "…" : raw)));
  }

  private static String optionalText(String field, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.strip();
    if (text.length() > maxLength) {
      throw ApiException.invalid("%s must be at most %d characters".formatted(field, maxLength));
    }
    return text;
  }

  /**
   * Now, at the precision PostgreSQL keeps, so that what a create returns equals what a read shows.
   */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  Lead get(TenantId tenant, UUID id) {
    return leads.find(tenant, id).orElseThrow(() -> ApiException.notFound("Lead", id));
  }

  record LeadPage(List<Lead> leads, long total, PageQuery page) {}

  LeadPage list(
      TenantId tenant,
      LeadRepository.Filter filter,
      LeadRepository.Sort sort,
      boolean ascending,
      PageQuery page) {
    return new LeadPage(
        leads.list(tenant, filter, sort, ascending, page.limit(), page.offset()),
        leads.count(tenant, filter),
        page);
  }

  /**
   * Moves the lead to the requested status if the decision allows it.
   *
   * @throws ApiException 400 with the decision's reason when it refuses
   */
  @Transactional
  Lead changeStatus(TenantId tenant, UUID id, LeadStatus requested) {
    Lead lead = get(tenant, id);
    LeadStatusTransitions.Verdict verdict =
        transitions.request(lead.status(), requested, lead.score());
    apply(lead, verdict, LeadActivityRepository.Actor.USER);
    return get(tenant, id);
  }

  /**
   * Moves a lead as the decision says for something that happened to it (a message went or came),
   * if it still has status {@code current}; refusals and a concurrent change leave it as it is.
   * Verdicts are shared through {@code decided} by leads with the same inputs.
   *
   * @return the lead's status afterwards
   */
  LeadStatus moveAutomatically(
      TenantId tenant,
      UUID id,
      LeadStatus current,
      Integer score,
      LeadStatusTransitions.Event event,
      String because,
      Map<List<Object>, LeadStatusTransitions.Verdict> decided) {
    LeadStatusTransitions.Verdict verdict =
        decided.computeIfAbsent(
            java.util.Arrays.asList(current, event, score),
            key -> transitions.evaluate(current, event, null, score));
    if (!verdict.allowed() || verdict.status() == null || verdict.status() == current) {
      return current;
    }
    Instant now = now();
    if (!leads.changeStatus(tenant, id, current, verdict.status(), now)) {
      return current;
    }
    activity.addEvent(
        tenant,
        id,
        LeadActivityRepository.Event.statusChanged(
            LeadActivityRepository.Actor.AUTOMATIC, current, verdict.status(), because, now));
    return verdict.status();
  }

  private void apply(
      Lead lead, LeadStatusTransitions.Verdict verdict, LeadActivityRepository.Actor actor) {
    if (!verdict.allowed()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          verdict.reason() != null
              ? verdict.reason()
              : "moving the lead from %s is not allowed".formatted(lead.status().value()));
    }
    if (verdict.status() == null || verdict.status() == lead.status()) {
      return;
    }
    Instant now = now();
    if (!leads.changeStatus(lead.tenantId(), lead.id(), lead.status(), verdict.status(), now)) {
      throw ApiException.conflict(
          "lead %s changed status while this request was decided; read it and retry"
              .formatted(lead.id()));
    }
    activity.addEvent(
        lead.tenantId(),
        lead.id(),
        LeadActivityRepository.Event.statusChanged(
            actor, lead.status(), verdict.status(), null, now));
  }

  record BulkResult(int updated, int failed, List<BulkError> errors) {}

  record BulkError(UUID leadId, String detail) {}

  /**
   * Moves each lead on its own: one that is unknown or whose move the decision refuses is reported
   * in {@code errors} and does not stop the others. The caller checks the plan first ({@link
   * #requireBulkOperations}).
   */
  BulkResult changeStatuses(TenantId tenant, List<UUID> ids, LeadStatus requested) {
    if (ids == null || ids.isEmpty()) {
      throw ApiException.invalid("lead_ids must name at least one lead");
    }
    if (ids.size() > MAX_BULK_LEADS) {
      throw ApiException.invalid(
          "lead_ids may name at most %d leads, got %d".formatted(MAX_BULK_LEADS, ids.size()));
    }
    Set<UUID> distinct = new LinkedHashSet<>();
    for (UUID id : ids) {
      if (id == null) {
        throw ApiException.invalid("lead_ids must not contain null");
      }
      distinct.add(id);
    }
    // The decision depends only on these inputs: ask the engine once per combination.
    Map<List<Object>, LeadStatusTransitions.Verdict> decided = new HashMap<>();
    int updated = 0;
    List<BulkError> errors = new ArrayList<>();
    for (UUID id : distinct) {
      try {
        Lead lead = get(tenant, id);
        List<Object> inputs = java.util.Arrays.asList(lead.status(), lead.score());
        LeadStatusTransitions.Verdict verdict =
            decided.computeIfAbsent(
                inputs, key -> transitions.request(lead.status(), requested, lead.score()));
        transactions.executeWithoutResult(
            status -> apply(lead, verdict, LeadActivityRepository.Actor.BULK));
        updated++;
      } catch (ApiException e) {
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
          throw e;
        }
        errors.add(new BulkError(id, e.getMessage()));
      }
    }
    return new BulkResult(updated, errors.size(), errors);
  }

  /** Bulk changes and exports are a Pro+ feature (reference API §1.4). */
  void requireBulkOperations(TenantId tenant) {
    PlanLimits limits = tenants.limits(tenant);
    if (!limits.bulkLeadOperationsEnabled()) {
      throw ApiException.forbidden(
          "Bulk lead operations and lead export are not included in the %s plan; upgrade to Pro or higher"
              .formatted(limits.displayName()));
    }
  }
}
