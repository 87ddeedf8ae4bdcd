package io.flowmate.leads.scoring;

import io.flowmate.admin.Tenants;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.leads.groups.GroupIntentClassifier;
import io.flowmate.leads.pipeline.LeadActivityRepository;
import io.flowmate.leads.pipeline.LeadStatus;
import io.flowmate.leads.pipeline.LeadStatusTransitions;
import io.flowmate.messaging.Conversations;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The two steps of {@code leads-lead-scoring}: score a lead, then show the status its score
 * suggests.
 */
@Service
class LeadScoring {

  private final LeadActivityRepository activity;
  private final Sessions sessions;
  private final Conversations conversations;
  private final GroupIntentClassifier classifier;
  private final Tenants tenants;
  private final LeadStatusTransitions transitions;
  private final Clock clock;

  LeadScoring(
      LeadActivityRepository activity,
      Sessions sessions,
      Conversations conversations,
      GroupIntentClassifier classifier,
      Tenants tenants,
      LeadStatusTransitions transitions,
      Clock clock) {
    this.activity = activity;
    this.sessions = sessions;
    this.conversations = conversations;
    this.classifier = classifier;
    this.tenants = tenants;
    this.transitions = transitions;
    this.clock = clock;
  }

  /** A scored lead: what the status decision is asked about. */
  record Scored(LeadStatus status, int score) {}

  /**
   * Scores the lead from its detection and its conversations and stores score and reason; empty if
   * the lead is gone.
   */
  @Transactional
  Optional<Scored> score(TenantId tenant, UUID leadId) {
    Optional<LeadActivityRepository.ToScore> found = activity.toScore(tenant, leadId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    LeadActivityRepository.ToScore lead = found.get();
    Instant now = now();
    List<SessionId> sessionIds = sessions.list(tenant).stream().map(SessionInfo::id).toList();
    Conversations.Exchange exchange =
        conversations.exchangedWith(
            tenant, sessionIds, lead.contactPhone(), now.minus(LeadScorer.ENGAGEMENT_WINDOW));
    LeadScorer.Score score =
        LeadScorer.score(
            new LeadScorer.Signals(
                lead.matchedKeyword(),
                lead.monitorMode(),
                intent(tenant, lead),
                exchange,
                lead.lastActivityAt()),
            now);
    activity.saveScore(lead, score.value(), score.reason(), now);
    return Optional.of(new Scored(lead.status(), score.value()));
  }

  /**
   * The triggering message's intent: as detection classified it (ai_analysis groups), else, on
   * plans with AI, classified now from the message's preview by the classifier behind {@code
   * /groups/{id}/messages}; null for leads entered by hand and plans without AI.
   */
  private String intent(TenantId tenant, LeadActivityRepository.ToScore lead) {
    if (lead.intent() != null
        || lead.messagePreview() == null
        || !tenants.limits(tenant).aiEnabled()) {
      return lead.intent();
    }
    // Without the matched keyword: it already counts as keyword strength, not twice.
    return classifier.classify(lead.messagePreview(), List.of(), null).intent().value();
  }

  /**
   * Shows {@code suggested} on the lead unless it is the status the lead has (then no suggestion),
   * and lets the lead be scored again. The suggestion arrives as a process variable: it is shown
   * only if the decision gives it for the lead as stored, else refused (see {@link ForgedJob}).
   */
  @Transactional
  void suggest(TenantId tenant, UUID leadId, LeadStatus current, LeadStatus suggested) {
    if (suggested != null && suggested != current) {
      LeadActivityRepository.ToScore lead =
          activity
              .toScore(tenant, leadId)
              .orElseThrow(() ->
                  ForgedJob.refuse(
                      "lead %s of tenant %s does not exist".formatted(leadId, tenant)));
      LeadStatusTransitions.Verdict verdict =
          transitions.evaluate(
              lead.status(), LeadStatusTransitions.Event.SCORED, null, lead.score());
      if (lead.status() != current || !verdict.allowed() || verdict.status() != suggested) {
        throw ForgedJob.refuse(
            "the status decision does not suggest %s for lead %s"
                .formatted(suggested.value(), leadId));
      }
    }
    activity.saveSuggestion(
        tenant, leadId, current, suggested == current ? null : suggested, now());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
