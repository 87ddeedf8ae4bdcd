package io.flowmate.outreach.followup;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Outbox;
import io.flowmate.outreach.audience.Audience;
import io.flowmate.outreach.audience.MessageTemplate;
import io.flowmate.workflow.Processes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follow-up rules as the API manages them: created, listed with how their follow-ups stand, and
 * deleted (deactivated, their waiting follow-ups cancelled). Also knows, in memory, which numbers
 * have active rules, so that the hot path of incoming messages can ignore all others at once.
 */
@Service
class FollowUpRules {

  private static final Logger log = LoggerFactory.getLogger(FollowUpRules.class);

  private final FollowUpRuleRepository rules;
  private final Audience groups;
  private final FollowUpRepository followUps;
  private final Sessions sessions;
  private final Tenants tenants;
  private final Outbox outbox;
  private final Processes processes;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private volatile Set<UUID> watchedSessions = Set.of();

  FollowUpRules(
      FollowUpRuleRepository rules,
      Audience groups,
      FollowUpRepository followUps,
      Sessions sessions,
      Tenants tenants,
      Outbox outbox,
      Processes processes,
      TransactionTemplate transaction,
      Clock clock) {
    this.rules = rules;
    this.groups = groups;
    this.followUps = followUps;
    this.sessions = sessions;
    this.tenants = tenants;
    this.outbox = outbox;
    this.processes = processes;
    this.transaction = transaction;
    this.clock = clock;
  }

  /** A rule as requested, its values checked. */
  record NewRule(
      String name,
      UUID sessionId,
      FollowUpAudience audience,
      Duration waitTime,
      String messageContent,
      int maxRounds) {}

  /** A rule with its follow-ups counted by status. */
  record Listed(FollowUpRule rule, Map<FollowUpStatus, Long> followUps) {}

  FollowUpRule create(TenantId tenant, NewRule draft) {
    PlanLimits limits = tenants.limits(tenant);
    if (!limits.scheduledMessagesEnabled()) {
      throw ApiException.forbidden(
          "Follow-ups are automated messages like scheduled ones, which the %s plan does not include;"
                  .formatted(limits.displayName())
              + " upgrade to Starter or above");
    }
    sessions.get(tenant, SessionId.of(draft.sessionId()));
    MessageTemplate.problem(draft.messageContent())
        .ifPresent(problem -> {
          throw ApiException.invalid("message_content: " + problem);
        });
    if (!groups.groupExists(tenant, draft.audience().customGroupId())) {
      throw ApiException.notFound("Custom group", draft.audience().customGroupId());
    }
    Instant now = clock.instant();
    FollowUpRule rule =
        new FollowUpRule(
            Ids.newId(),
            tenant,
            draft.sessionId(),
            draft.name(),
            draft.audience(),
            draft.waitTime(),
            draft.messageContent(),
            draft.maxRounds(),
            true,
            now,
            now,
            null);
    rules.insert(rule);
    refreshActive();
    return rule;
  }

  FollowUpRule get(TenantId tenant, UUID id) {
    return rules.find(tenant, id).orElseThrow(() -> ApiException.notFound("Follow-up rule", id));
  }

  Listed getListed(TenantId tenant, UUID id) {
    FollowUpRule rule = get(tenant, id);
    return new Listed(rule, followUps.countsByStatus(List.of(id)).get(id));
  }

  Page<Listed> list(TenantId tenant, boolean activeOnly, PageQuery page) {
    List<FollowUpRule> found = rules.page(tenant, activeOnly, page);
    Map<UUID, Map<FollowUpStatus, Long>> counts =
        followUps.countsByStatus(found.stream().map(FollowUpRule::id).toList());
    return Page.of(
        found.stream().map(rule -> new Listed(rule, counts.get(rule.id()))).toList(),
        rules.count(tenant, activeOnly),
        page);
  }

  /** The rule's follow-ups, one per contact and trigger, newest first. */
  Page<FollowUp> followUpsOf(TenantId tenant, UUID ruleId, FollowUpStatus status, PageQuery page) {
    get(tenant, ruleId);
    return Page.of(
        followUps.ofRule(ruleId, status, page), followUps.countOfRule(ruleId, status), page);
  }

  /**
   * Deactivates the rule: no new follow-ups start, waiting ones are cancelled together with any
   * round queued but not sent yet, and their process instances are cancelled. Deleting an inactive
   * rule again changes nothing.
   */
  void deactivate(TenantId tenant, UUID id) {
    get(tenant, id);
    Instant now = clock.instant();
    List<FollowUp> cancelled =
        transaction.execute(status -> {
          rules.deactivate(id, now);
          List<FollowUp> waiting =
              followUps.cancelWaiting(id, "the follow-up rule was deleted", now);
          waiting.forEach(f ->
              outbox.cancel(FollowUps.origin(f.id()), "not sent: the follow-up rule was deleted"));
          return waiting;
        });
    refreshActive();
    for (FollowUp followUp : cancelled) {
      if (followUp.processInstanceKey() != null) {
        try {
          processes.cancel(followUp.processInstanceKey(), followUp.engineEpoch());
        } catch (RuntimeException e) {
          // Ended meanwhile, or the engine is unreachable: its next step sees the follow-up is
          // cancelled and ends the instance.
          log.debug(
              "Could not cancel the process of follow-up {}: {}", followUp.id(), e.getMessage());
        }
      }
    }
  }

  /** Reads the active rules and remembers which numbers they watch. */
  List<FollowUpRule> refreshActive() {
    List<FollowUpRule> active = rules.active();
    watchedSessions =
        active.stream().map(FollowUpRule::sessionId).collect(Collectors.toUnmodifiableSet());
    return active;
  }

  /** Whether any active rule watches the number (answered from memory: the hot path asks). */
  boolean watches(UUID sessionId) {
    return watchedSessions.contains(sessionId);
  }

  /**
   * The wait from the request: an ISO-8601 duration ({@code P3D}, {@code PT36H}) or whole days,
   * exactly one of them, between an hour and 90 days.
   */
  static Duration waitTime(String wait, Integer waitDays) {
    if ((wait == null || wait.isBlank()) == (waitDays == null)) {
      throw ApiException.invalid(
          "Give exactly one of wait (an ISO-8601 duration such as P3D or PT36H) and wait_days");
    }
    Duration waitTime;
    if (waitDays != null) {
      waitTime = Duration.ofDays(waitDays);
    } else {
      try {
        waitTime = Duration.parse(wait.strip().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw ApiException.invalid(
            "wait '%s' is not an ISO-8601 duration: use days and time such as P3D, PT36H or P1DT12H"
                .formatted(wait));
      }
    }
    if (waitTime.compareTo(FollowUpRule.MIN_WAIT) < 0
        || waitTime.compareTo(FollowUpRule.MAX_WAIT) > 0) {
      throw ApiException.invalid(
          "The wait must be between 1 hour (PT1H) and 90 days (P90D), got %s".formatted(waitTime));
    }
    return waitTime;
  }
}
