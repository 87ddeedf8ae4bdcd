package io.flowmate.outreach.followup;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.messaging.Conversations;
import io.flowmate.messaging.events.MessageReceived;
import io.flowmate.outreach.OutreachSettings;
import io.flowmate.workflow.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells waiting follow-ups that their contact replied. Incoming messages arrive by the thousand a
 * second, so this is a plain synchronous listener that returns at once for numbers without active
 * rules (a set in memory) and for group messages; for the others it notes the reply once the
 * message is committed, and a short sweep hands the replies noticed to the follow-ups waiting for
 * them as one query plus one engine message each.
 *
 * <p>Nothing here is persisted: a reply noticed just before a crash, or while the engine was
 * unreachable, is found again from the conversation itself before the next round is sent and when
 * the instance is re-created, so a contact who replied is never followed up.
 */
@Component
class FollowUpReplies {

  private static final Logger log = LoggerFactory.getLogger(FollowUpReplies.class);

  /** How long the engine keeps a reply for an instance that is busy sending a round. */
  private static final Duration REPLY_TTL = Duration.ofMinutes(10);

  private static final int MAX_NOTICED = 100_000;

  private final FollowUpRules rules;
  private final FollowUpRepository followUps;
  private final Conversations conversations;
  private final Processes processes;
  private final OutreachSettings.FollowUps settings;
  private final BlockingQueue<Noticed> noticed = new LinkedBlockingQueue<>(MAX_NOTICED);

  FollowUpReplies(
      FollowUpRules rules,
      FollowUpRepository followUps,
      Conversations conversations,
      Processes processes,
      OutreachSettings settings) {
    this.rules = rules;
    this.followUps = followUps;
    this.conversations = conversations;
    this.processes = processes;
    this.settings = settings.followUps();
  }

  /** A message in a direct chat of a watched number. */
  private record Noticed(UUID sessionId, ChatId chat, Instant at) {}

  @EventListener
  void onMessageReceived(MessageReceived received) {
    if (received.groupMessage() || !rules.watches(received.sessionId().value())) {
      return;
    }
    Noticed reply =
        new Noticed(
            received.sessionId().value(), new ChatId(received.chatId()), received.receivedAt());
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              note(reply);
            }
          });
    } else {
      note(reply);
    }
  }

  private void note(Noticed reply) {
    if (!noticed.offer(reply)) {
      log.debug(
          "Too many replies waiting to be handed over; one in session {} is found before its next round",
          reply.sessionId());
    }
  }

  /** Hands the replies noticed since the last call to the follow-ups waiting for them. */
  @Scheduled(fixedDelayString = "${flowmate.outreach.follow-ups.reply-interval:1s}")
  int handOver() {
    int correlated = 0;
    List<Noticed> batch = new ArrayList<>();
    while (noticed.drainTo(batch, settings.batchSize()) > 0) {
      correlated += handOver(batch);
      batch.clear();
    }
    return correlated;
  }

  private int handOver(List<Noticed> batch) {
    List<FollowUpRepository.Reply> replies = new ArrayList<>();
    Map<UUID, List<Noticed>> bySession =
        batch.stream().collect(Collectors.groupingBy(Noticed::sessionId));
    bySession.forEach((sessionId, noticedHere) -> {
      // A contact may write from their linked id (LID); follow-ups know them by phone number.
      Map<ChatId, ChatId> phoneChats =
          conversations.phoneChatsOf(
              SessionId.of(sessionId),
              noticedHere.stream()
                  .map(Noticed::chat)
                  .filter(c -> c.kind() == ChatId.Kind.LID)
                  .toList());
      for (Noticed reply : noticedHere) {
        ChatId chat =
            reply.chat().kind() == ChatId.Kind.LID ? phoneChats.get(reply.chat()) : reply.chat();
        if (chat != null) {
          replies.add(new FollowUpRepository.Reply(sessionId, chat, reply.at()));
        }
      }
    });
    int correlated = 0;
    for (FollowUp followUp : followUps.waitingFor(replies)) {
      try {
        processes.publishMessage(
            FollowUpProcess.REPLY_MESSAGE, followUp.id().toString(), Map.of(), REPLY_TTL);
        correlated++;
      } catch (RuntimeException e) {
        log.warn(
            "Could not tell the process of follow-up {} about the reply; it is found before the"
                + " next round: {}",
            followUp.id(),
            e.getMessage());
      }
    }
    return correlated;
  }
}
