package io.flowmate.leads.pipeline;

import io.flowmate.core.ChatId;
import io.flowmate.core.RepeatingFailureLog;
import io.flowmate.leads.LeadsSettings;
import io.flowmate.messaging.Conversations;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows the leads' conversations and moves leads on automatically, as the status decision says: a
 * message we sent to a lead ({@code outbound_message}: a new lead becomes contacted) and a lead's
 * answer to us ({@code reply}: a hot lead becomes qualified). New activity also makes the lead due
 * for scoring.
 *
 * <p>It reads messaging's changed direct chats in commit order (not every message: a chat that got
 * a hundred messages is one row), trailing the clock by {@link LeadsSettings.Activity#lag}, and
 * keeps its cursor in the same transaction as the changes it made: after a crash it continues where
 * it stopped, so no message is missed and no move is made twice. Nodes take turns (the cursor row
 * is locked).
 */
@Component
class LeadActivitySweep {

  private static final Logger log = LoggerFactory.getLogger(LeadActivitySweep.class);
  private final RepeatingFailureLog failures = new RepeatingFailureLog(log);

  /** Pages per run: a backlog is caught up over several runs without holding a transaction long. */
  private static final int MAX_PAGES = 20;

  private final LeadActivityRepository activity;
  private final LeadService leads;
  private final Conversations conversations;
  private final TransactionTemplate transactions;
  private final LeadsSettings.Activity settings;
  private final Clock clock;

  LeadActivitySweep(
      LeadActivityRepository activity,
      LeadService leads,
      Conversations conversations,
      TransactionTemplate transactions,
      LeadsSettings settings,
      Clock clock) {
    this.activity = activity;
    this.leads = leads;
    this.conversations = conversations;
    this.transactions = transactions;
    this.settings = settings.activity();
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${flowmate.leads.activity.interval:2s}",
      initialDelayString = "${flowmate.leads.activity.interval:2s}")
  void sweep() {
    try {
      for (int page = 0; page < MAX_PAGES; page++) {
        Integer read = transactions.execute(status -> sweepPage());
        if (read == null || read < settings.batch()) {
          break;
        }
      }
      failures.succeeded("sweep", "The lead activity sweep");
    } catch (RuntimeException e) {
      // The cursor did not move: the same chats are read again next time.
      failures.failed("sweep", "The lead activity sweep (retried on the next one)", e);
    }
  }

  /**
   * @return chats read, or -1 when another node holds the cursor or it was just started
   */
  private int sweepPage() {
    Instant until = clock.instant().minus(settings.lag());
    var cursor = activity.lockCursor();
    if (cursor.isEmpty()) {
      activity.startCursor(until);
      return -1;
    }
    Conversations.ChatActivityPage page =
        conversations.directChatsChanged(cursor.get(), until, settings.batch());
    if (page.chats().isEmpty()) {
      return 0;
    }
    List<LeadActivityRepository.Moved> moved =
        activity.recordActivity(byPerson(page.chats()), clock.instant());
    Map<List<Object>, LeadStatusTransitions.Verdict> decided = new HashMap<>();
    for (LeadActivityRepository.Moved lead : moved) {
      LeadStatus status = lead.status();
      if (lead.weWrote()) {
        status =
            leads.moveAutomatically(
                lead.tenantId(),
                lead.id(),
                status,
                lead.score(),
                LeadStatusTransitions.Event.OUTBOUND_MESSAGE,
                "a message was sent to the lead",
                decided);
      }
      if (lead.replied()) {
        leads.moveAutomatically(
            lead.tenantId(),
            lead.id(),
            status,
            lead.score(),
            LeadStatusTransitions.Event.REPLY,
            "the lead replied (score %s)".formatted(lead.score()),
            decided);
      }
    }
    activity.moveCursor(page.next());
    return page.chats().size();
  }

  /**
   * One entry per person: the latest times over their chats on every number. Chats whose phone
   * number is not known (a linked id only) cannot be a lead's and are left out.
   */
  private static List<LeadActivityRepository.Activity> byPerson(
      List<Conversations.ChatActivity> chats) {
    Map<List<Object>, LeadActivityRepository.Activity> people = new LinkedHashMap<>();
    for (Conversations.ChatActivity chat : chats) {
      if (chat.chat().kind() != ChatId.Kind.CONTACT) {
        continue;
      }
      String phone = chat.chat().phoneNumber().orElse(null);
      if (phone == null) {
        continue;
      }
      people.merge(
          List.of(chat.tenantId(), phone),
          new LeadActivityRepository.Activity(
              chat.tenantId(), phone, chat.lastInboundAt(), chat.lastOutboundAt()),
          (a, b) ->
              new LeadActivityRepository.Activity(
                  a.tenantId(),
                  a.phone(),
                  later(a.lastInboundAt(), b.lastInboundAt()),
                  later(a.lastOutboundAt(), b.lastOutboundAt())));
    }
    return new ArrayList<>(people.values());
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null || b == null) {
      return Objects.requireNonNullElse(a, b);
    }
    return a.isAfter(b) ? a : b;
  }
}
