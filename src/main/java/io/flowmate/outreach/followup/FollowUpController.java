package io.flowmate.outreach.followup;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Follow-up rules (Flowmate's own API; MoltFlow has none): "follow up contacts who did not reply in
 * 3 days". They are automated messages like scheduled ones and share their scopes.
 */
@RestController
@RequestMapping("/api/v2/follow-ups")
@Tag(name = "Follow-ups", description = "Follow up contacts who did not reply within a wait")
class FollowUpController {

  private final FollowUpRules rules;

  FollowUpController(FollowUpRules rules) {
    this.rules = rules;
  }

  record RuleRequest(
      @NotBlank @Size(max = 255) String name,
      @NotNull UUID sessionId,
      @NotNull UUID customGroupId,
      Map<@NotBlank @Size(max = 100) String, @NotNull @Size(max = 1000) String> filter,
      // "wait" cannot name a record component (Object.wait()).
      @JsonProperty("wait") @Size(max = 40, message = "must be an ISO-8601 duration such as P3D")
          String waitTime,
      @Min(1) @Max(90) Integer waitDays,
      @NotBlank @Size(max = FollowUpRule.MAX_MESSAGE_LENGTH) String messageContent,
      @Min(1) @Max(FollowUpRule.MAX_ROUNDS) Integer maxRounds) {}

  record RuleView(
      UUID id,
      String name,
      String status,
      UUID sessionId,
      UUID customGroupId,
      Map<String, String> filter,
      @JsonProperty("wait") String waitTime,
      long waitSeconds,
      String messageContent,
      int maxRounds,
      Map<String, Long> followUps,
      Instant createdAt,
      Instant deactivatedAt) {

    static RuleView of(FollowUpRules.Listed listed) {
      FollowUpRule rule = listed.rule();
      Map<String, Long> counts = new LinkedHashMap<>();
      listed.followUps().forEach((status, count) -> counts.put(status.value(), count));
      return new RuleView(
          rule.id(),
          rule.name(),
          rule.active() ? "active" : "inactive",
          rule.sessionId(),
          rule.audience().customGroupId(),
          rule.audience().fieldsEqual(),
          iso(rule.waitTime()),
          rule.waitTime().toSeconds(),
          rule.messageContent(),
          rule.maxRounds(),
          counts,
          rule.createdAt(),
          rule.deactivatedAt());
    }
  }

  /**
   * One contact's follow-up.
   *
   * @param round follow-ups sent so far
   * @param nextDueAt while waiting, when the next round goes if the contact does not write
   */
  record FollowUpView(
      UUID id,
      UUID ruleId,
      String chatId,
      String status,
      String statusReason,
      int round,
      int maxRounds,
      Instant nextDueAt,
      Instant waitingSince,
      UUID triggerMessageId,
      Long processInstanceKey,
      Instant createdAt,
      Instant endedAt) {

    static FollowUpView of(FollowUp f) {
      return new FollowUpView(
          f.id(),
          f.ruleId(),
          f.chat().value(),
          f.status().value(),
          f.statusReason(),
          f.round(),
          f.maxRounds(),
          f.dueAt(),
          f.waitingSince(),
          f.triggerMessageId(),
          f.processInstanceKey(),
          f.createdAt(),
          f.endedAt());
    }
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.SCHEDULED_MANAGE)
  @Operation(
      summary = "Create a follow-up rule",
      description =
          "After a message from session_id to a member of custom_group_id (with the filter's field"
              + " values) is sent, wait (ISO-8601 such as P3D, or wait_days; at least 1 hour); if the"
              + " contact did not write, send message_content ({name}, {first_name}, {<field>}), up to"
              + " max_rounds times (1-5, default 1).")
  RuleView create(Caller caller, @Valid @RequestBody RuleRequest request) {
    FollowUpRule rule =
        rules.create(
            caller.tenantId(),
            new FollowUpRules.NewRule(
                request.name().strip(),
                request.sessionId(),
                new FollowUpAudience(request.customGroupId(), request.filter()),
                FollowUpRules.waitTime(request.waitTime(), request.waitDays()),
                request.messageContent(),
                request.maxRounds() == null ? 1 : request.maxRounds()));
    return RuleView.of(rules.getListed(caller.tenantId(), rule.id()));
  }

  @GetMapping
  @RequiresScope(Scopes.SCHEDULED_READ)
  @Operation(
      summary =
          "List follow-up rules with their follow-ups counted by status (active=true: active rules only)")
  Page<RuleView> list(
      Caller caller,
      @RequestParam(required = false) Boolean active,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return rules
        .list(caller.tenantId(), Boolean.TRUE.equals(active), PageQuery.of(limit, offset))
        .map(RuleView::of);
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.SCHEDULED_READ)
  RuleView get(Caller caller, @PathVariable UUID id) {
    return RuleView.of(rules.getListed(caller.tenantId(), id));
  }

  @GetMapping("/{id}/contacts")
  @RequiresScope(Scopes.SCHEDULED_READ)
  @Operation(summary = "The rule's follow-ups, one per contact (status=waiting: the active ones)")
  Page<FollowUpView> contacts(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return rules
        .followUpsOf(caller.tenantId(), id, status(status), PageQuery.of(limit, offset))
        .map(FollowUpView::of);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.SCHEDULED_MANAGE)
  @Operation(summary = "Deactivate the rule and cancel its waiting follow-ups")
  void delete(Caller caller, @PathVariable UUID id) {
    rules.deactivate(caller.tenantId(), id);
  }

  /**
   * A wait as clients write it: {@code P3D}, {@code P1DT12H}, {@code PT36M} (not {@code PT72H}).
   */
  static String iso(Duration wait) {
    long days = wait.toDays();
    Duration rest = wait.minusDays(days);
    if (days == 0) {
      return rest.toString();
    }
    return "P" + days + "D" + (rest.isZero() ? "" : rest.toString().substring(1));
  }

  private static FollowUpStatus status(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return FollowUpStatus.of(value.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(
          "status '%s' is not a follow-up status: use waiting, replied, completed or cancelled"
              .formatted(value));
    }
  }
}
