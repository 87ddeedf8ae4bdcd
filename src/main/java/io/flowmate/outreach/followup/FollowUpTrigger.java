package io.flowmate.outreach.followup;

import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.messaging.Conversations;
import io.flowmate.messaging.Conversations.SentCursor;
import io.flowmate.messaging.Conversations.SentMessage;
import io.flowmate.outreach.OutreachSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Starts follow-ups: a sweep over the messages sent by numbers with active rules since the rules'
 * watermark ({@code scanned_until}). Each message to a contact in a rule's audience starts one
 * follow-up for (rule, contact) unless one is waiting already; follow-up messages themselves never
 * start one.
 *
 * <p>Why a sweep and not a listener on every message: numbers send thousands of messages a second
 * in benchmarks, and a persisted event listener would write a row for each. The sweep costs one
 * indexed range query per page of messages, and nothing at all while no rule is active. It stays
 * {@code trigger-delay} behind the clock, because a message is recorded as sent a moment after
 * WhatsApp accepted it (its {@code sent_at}); a message examined twice (a sweep that failed half
 * way) starts nothing twice.
 */
@Component
class FollowUpTrigger {

  private static final Logger log = LoggerFactory.getLogger(FollowUpTrigger.class);

  private final FollowUpRules rules;
  private final FollowUpRuleRepository ruleRepository;
  private final FollowUpRepository followUps;
  private final FollowUpAudienceCheck audienceCheck;
  private final FollowUpProcessStarter starter;
  private final Conversations conversations;
  private final OutreachSettings.FollowUps settings;
  private final Clock clock;

  FollowUpTrigger(
      FollowUpRules rules,
      FollowUpRuleRepository ruleRepository,
      FollowUpRepository followUps,
      FollowUpAudienceCheck audienceCheck,
      FollowUpProcessStarter starter,
      Conversations conversations,
      OutreachSettings settings,
      Clock clock) {
    this.rules = rules;
    this.ruleRepository = ruleRepository;
    this.followUps = followUps;
    this.audienceCheck = audienceCheck;
    this.starter = starter;
    this.conversations = conversations;
    this.settings = settings.followUps();
    this.clock = clock;
  }

  /** Examines what was sent since the last sweep; returns how many follow-ups started. */
  @Scheduled(
      fixedDelayString = "${flowmate.outreach.follow-ups.sweep-interval:5s}",
      initialDelayString = "${flowmate.outreach.follow-ups.sweep-interval:5s}")
  int sweep() {
    List<FollowUpRule> active = rules.refreshActive();
    Instant until = clock.instant().minus(settings.triggerDelay());
    List<FollowUpRule> behind =
        active.stream().filter(r -> r.scannedUntil().isBefore(until)).toList();
    if (behind.isEmpty()) {
      return 0;
    }
    Map<UUID, List<FollowUpRule>> bySession =
        behind.stream().collect(Collectors.groupingBy(FollowUpRule::sessionId));
    Instant from =
        behind.stream()
            .map(FollowUpRule::scannedUntil)
            .min(Comparator.naturalOrder())
            .orElseThrow();
    SentCursor cursor = SentCursor.after(from);
    int started = 0;
    while (true) {
      List<SentMessage> page =
          conversations.sentToContacts(
              bySession.keySet().stream().map(SessionId::of).toList(),
              cursor,
              until,
              FollowUpProcess.ORIGIN_KIND,
              settings.batchSize());
      if (page.isEmpty()) {
        break;
      }
      started += examine(page, bySession);
      cursor = page.getLast().cursor();
      if (page.size() < settings.batchSize()) {
        break;
      }
    }
    ruleRepository.markScanned(behind.stream().map(FollowUpRule::id).toList(), until);
    if (started > 0) {
      log.debug("Started {} follow-up(s)", started);
    }
    return started;
  }

  private int examine(List<SentMessage> page, Map<UUID, List<FollowUpRule>> bySession) {
    int started = 0;
    Map<UUID, List<SentMessage>> sentBySession =
        page.stream().collect(Collectors.groupingBy(m -> m.sessionId().value()));
    for (var entry : sentBySession.entrySet()) {
      for (FollowUpRule rule : bySession.getOrDefault(entry.getKey(), List.of())) {
        List<SentMessage> candidates =
            entry.getValue().stream()
                .filter(m -> m.sentAt().isAfter(rule.scannedUntil()))
                .filter(m -> m.tenantId().equals(rule.tenantId()))
                .toList();
        if (candidates.isEmpty()) {
          continue;
        }
        Set<ChatId> members =
            audienceCheck
                .membersAmong(rule.audience(), candidates.stream().map(SentMessage::chat).toList())
                .keySet();
        List<FollowUp> rows = new ArrayList<>();
        for (SentMessage sent : candidates) {
          if (members.contains(sent.chat())) {
            rows.add(newFollowUp(rule, sent));
          }
        }
        for (FollowUp followUp : followUps.insertWaiting(rows)) {
          starter.startFor(followUp);
          started++;
        }
      }
    }
    return started;
  }

  private FollowUp newFollowUp(FollowUpRule rule, SentMessage sent) {
    return new FollowUp(
        Ids.newId(),
        rule.tenantId(),
        rule.id(),
        sent.sessionId().value(),
        sent.chat(),
        sent.messageId().value(),
        sent.sentAt(),
        0,
        rule.maxRounds(),
        sent.sentAt().plus(rule.waitTime()),
        FollowUpStatus.WAITING,
        null,
        null,
        starter.epoch(),
        clock.instant(),
        null);
  }
}
