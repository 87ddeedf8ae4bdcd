package io.flowmate.outreach.followup;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.Conversations;
import io.flowmate.messaging.Outbox;
import io.flowmate.outreach.audience.Audience;
import io.flowmate.outreach.audience.MessageTemplate;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What happens to one contact's follow-up, step by step, for its process's workers: a round is sent
 * (if the contact did not write and is still in the audience), the follow-up stops because they
 * replied, or it completes after the last round. Every step is safe to repeat: jobs are delivered
 * at least once.
 */
@Service
class FollowUps {

  private final FollowUpRepository followUps;
  private final FollowUpRuleRepository rules;
  private final FollowUpAudienceCheck audienceCheck;
  private final Conversations conversations;
  private final Outbox outbox;
  private final Clock clock;

  FollowUps(
      FollowUpRepository followUps,
      FollowUpRuleRepository rules,
      FollowUpAudienceCheck audienceCheck,
      Conversations conversations,
      Outbox outbox,
      Clock clock) {
    this.followUps = followUps;
    this.rules = rules;
    this.audienceCheck = audienceCheck;
    this.conversations = conversations;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * What sending a round did.
   *
   * @param outcome {@link FollowUpProcess#SENT}, {@link FollowUpProcess#REPLIED} (the contact
   *     wrote; nothing sent) or {@link FollowUpProcess#ENDED} (the follow-up is over: rule deleted,
   *     contact no longer in the audience)
   * @param round follow-ups sent so far
   * @param waitTime the wait before the next round
   */
  record RoundResult(String outcome, int round, Duration waitTime) {}

  static Outbox.Origin origin(UUID followUpId) {
    return new Outbox.Origin(FollowUpProcess.ORIGIN_KIND, followUpId);
  }

  /**
   * Queues round {@code roundsSent + 1} through the outbox (so the number's send governor paces it
   * and applies opt-outs), under an idempotency key of the follow-up and round: a retried job, or
   * an instance re-created after an engine restart, never queues a round twice. Refused (see {@link
   * ForgedJob}) for a round other than the next, or from an instance other than the one Flowmate
   * started for the follow-up (its timer is what makes a round due).
   */
  @Transactional
  RoundResult sendRound(TenantId tenant, UUID followUpId, int roundsSent, long processInstanceKey) {
    FollowUp followUp = find(tenant, followUpId);
    FollowUpRule rule =
        rules
            .findById(followUp.ruleId())
            .orElseThrow(
                () -> new IllegalStateException("rule of follow-up " + followUpId + " missing"));
    Instant now = clock.instant();
    if (followUp.status() == FollowUpStatus.REPLIED) {
      return new RoundResult(FollowUpProcess.REPLIED, roundsSent, rule.waitTime());
    }
    if (followUp.status() != FollowUpStatus.WAITING) {
      return new RoundResult(FollowUpProcess.ENDED, roundsSent, rule.waitTime());
    }
    if (!rule.active()) {
      followUps.end(followUpId, FollowUpStatus.CANCELLED, "the follow-up rule was deleted", now);
      return new RoundResult(FollowUpProcess.ENDED, roundsSent, rule.waitTime());
    }
    // The reply may not have reached the process (the engine was restarted, or it came while a
    // round was being sent); the conversation itself has the last word.
    if (hasReplied(followUp)) {
      return new RoundResult(FollowUpProcess.REPLIED, roundsSent, rule.waitTime());
    }
    var member = audienceCheck.member(rule.audience(), followUp.chat());
    if (member.isEmpty()) {
      followUps.end(followUpId, FollowUpStatus.CANCELLED, "no longer in the rule's audience", now);
      return new RoundResult(FollowUpProcess.ENDED, roundsSent, rule.waitTime());
    }
    if (followUp.round() == roundsSent + 1) {
      // This round went out already; the job that sent it is retried.
      return new RoundResult(FollowUpProcess.SENT, followUp.round(), rule.waitTime());
    }
    if (followUp.round() != roundsSent) {
      throw ForgedJob.refuse(
          "follow-up %s has sent %d rounds, not %d"
              .formatted(followUpId, followUp.round(), roundsSent));
    }
    // Not yet recorded only in the moment between starting the instance and recording its key.
    if (followUp.processInstanceKey() != null
        && followUp.processInstanceKey() != processInstanceKey) {
      throw ForgedJob.refuse(
          "follow-up %s runs in another process instance than %d"
              .formatted(followUpId, processInstanceKey));
    }
    int round = roundsSent + 1;
    // The seed varies spin text between contacts and rounds, and stays the same if a round is
    // retried.
    long seed = followUpId.getLeastSignificantBits() + round;
    Audience.Member recipient = member.get();
    String text =
        MessageTemplate.render(
            rule.messageContent(), seed, recipient.phone(), recipient.name(), recipient.fields());
    outbox.enqueue(
        new Outbox.Batch(
            followUp.tenantId(),
            SessionId.of(followUp.sessionId()),
            origin(followUpId),
            List.of(
                new Outbox.Outgoing(
                    followUp.chat(), Outbox.Content.text(text), followUp.roundKey(round))),
            false,
            // Rounds repeat the same text on purpose; the 24-hour duplicate guard would refuse
            // them.
            true,
            null));
    Instant nextDueAt = round < followUp.maxRounds() ? now.plus(rule.waitTime()) : null;
    followUps.recordRound(followUpId, round, nextDueAt, now);
    return new RoundResult(FollowUpProcess.SENT, round, rule.waitTime());
  }

  /**
   * The contact replied: the follow-up stops, and a round queued but not sent yet (the governor was
   * pacing it) is cancelled.
   */
  @Transactional
  void stop(TenantId tenant, UUID followUpId) {
    FollowUp followUp = find(tenant, followUpId);
    if (followUp.status() != FollowUpStatus.REPLIED && !hasReplied(followUp)) {
      throw ForgedJob.refuse("the contact of follow-up %s has not replied".formatted(followUpId));
    }
    followUps.end(followUpId, FollowUpStatus.REPLIED, null, clock.instant());
    outbox.cancel(origin(followUpId), "not sent: the contact replied");
    // Leads do not exist yet: the leads issue marks the contact's lead as replied here.
  }

  /** Every round was sent without a reply. */
  @Transactional
  void complete(TenantId tenant, UUID followUpId) {
    FollowUp followUp = find(tenant, followUpId);
    if (followUp.status() == FollowUpStatus.WAITING && followUp.round() < followUp.maxRounds()) {
      throw ForgedJob.refuse(
          "follow-up %s has sent %d of %d rounds"
              .formatted(followUpId, followUp.round(), followUp.maxRounds()));
    }
    followUps.end(followUpId, FollowUpStatus.COMPLETED, null, clock.instant());
  }

  /** Whether the contact wrote to the number since the message that started the follow-up. */
  boolean hasReplied(FollowUp followUp) {
    return conversations
        .lastWroteAt(followUp.tenantId(), SessionId.of(followUp.sessionId()), followUp.chat())
        .filter(at -> at.isAfter(followUp.waitingSince()))
        .isPresent();
  }

  /**
   * Locks the follow-up: a round being queued and a reply or the rule's deletion cancelling it take
   * turns, so a round queued at that moment is cancelled with it, never left to go out.
   */
  private FollowUp find(TenantId tenant, UUID followUpId) {
    return followUps
        .findForUpdate(followUpId)
        .filter(followUp -> followUp.tenantId().equals(tenant))
        .orElseThrow(() ->
            ForgedJob.refuse(
                "follow-up %s of tenant %s does not exist".formatted(followUpId, tenant)));
  }
}
