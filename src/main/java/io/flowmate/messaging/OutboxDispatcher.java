package io.flowmate.messaging;

import io.flowmate.core.LogSafe;
import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.TenantSettings;
import io.flowmate.admin.Tenants;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.events.SessionStatusChanged;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.SendOptions;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SentLookup;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.WhatsAppTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The send governor and the outbox relay, one lane per WhatsApp number: the only caller of the
 * transport's {@code send}. A lane claims its number's due messages (status {@code sending}, with
 * a lease), checks each against the policy (whitelist, opt-outs, reciprocity, duplicates) and the
 * pacer (rate per minute in any 60-second window, randomised gaps, hourly and daily caps with
 * warm-up, quiet hours, the 463 reach-out lock), marks the chat read and shows "typing…" for a
 * time that grows with the text, hands the message over, and records {@code sent} with WhatsApp's
 * id right away. A message that must wait goes back to the queue with the reason and the time it
 * may go; it is not counted as an attempt.
 *
 * <p>A lane sends one message at a time, so a number's limits hold however many campaigns,
 * schedules and API calls queue for it. A claim whose lane died before recording the outcome
 * lapses, and the number's lane settles it before sending anything else: the transport is asked
 * whether WhatsApp accepted the message ({@link WhatsAppTransport#findSent}); recorded as sent if
 * it did, queued again if it did not, left for the next sweep if the transport cannot answer now,
 * and failed if it can never tell, because a message sent twice cannot be taken back.
 */
@Component
class OutboxDispatcher implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final int CLAIM_BATCH = 100;
  private static final int SWEEP_BATCH = 200;
  private static final String MAY_HAVE_BEEN_SENT =
      "WhatsApp may or may not have accepted this message before a restart; not re-sent to avoid a"
          + " duplicate";

  private final MessageRepository messages;
  private final ChatRepository chats;
  private final SenderStateRepository senderStates;
  private final Sessions sessions;
  private final Tenants tenants;
  private final WhatsAppTransport transport;
  private final SendPolicy policy;
  private final OutboundMessages outbound;
  private final DeliveryTracker deliveries;
  private final MessagingSettings settings;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final SendPacer pacer;
  private final ExecutorService lanes;
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private final Set<UUID> wakeAgain = ConcurrentHashMap.newKeySet();
  private final RandomGenerator random = RandomGenerator.getDefault();
  /** Longer than the longest typing pause plus one send. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

  private volatile boolean stopping;

  OutboxDispatcher(
      MessageRepository messages,
      ChatRepository chats,
      SenderStateRepository senderStates,
      Sessions sessions,
      Tenants tenants,
      WhatsAppTransport transport,
      SendPolicy policy,
      OutboundMessages outbound,
      DeliveryTracker deliveries,
      MessagingSettings settings,
      ApplicationEventPublisher events,
      TransactionTemplate transaction,
      Clock clock) {
    this.messages = messages;
    this.chats = chats;
    this.senderStates = senderStates;
    this.sessions = sessions;
    this.tenants = tenants;
    this.transport = transport;
    this.policy = policy;
    this.outbound = outbound;
    this.deliveries = deliveries;
    this.settings = settings;
    this.events = events;
    this.transaction = transaction;
    this.clock = clock;
    this.pacer = new SendPacer(messages::sendTimesSince, settings.governor().gapJitter(), random);
    AtomicInteger threads = new AtomicInteger();
    this.lanes =
        Executors.newFixedThreadPool(
            settings.dispatchThreads(),
            runnable -> {
              Thread thread = new Thread(runnable, "send-lane-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Makes the number's lane look for due messages now (a message was queued or released). */
  void wake(UUID sessionId) {
    if (stopping) {
      return;
    }
    if (!running.add(sessionId)) {
      wakeAgain.add(sessionId);
      return;
    }
    lanes.execute(() -> runLane(sessionId));
  }

  private void runLane(UUID sessionId) {
    try {
      do {
        wakeAgain.remove(sessionId);
        recoverLapsedClaims(sessionId);
        drain(sessionId);
      } while (wakeAgain.contains(sessionId) && !stopping);
    } catch (RuntimeException e) {
      log.error("The send lane of session {} failed; the sweep restarts it", sessionId, e);
    } finally {
      running.remove(sessionId);
    }
  }

  /** Sends the number's due messages until none is left or the governor says wait. */
  private void drain(UUID sessionId) {
    while (!stopping) {
      Optional<SessionInfo> found = sessions.findById(sessionId);
      Instant now = clock.instant();
      if (found.isPresent() && !found.get().isWorking()) {
        // Nothing can leave: the messages wait, unclaimed, until the number works again.
        messages.holdQueued(
            sessionId,
            now.plus(settings.retryDelay()),
            "waiting for session to be working (it is " + found.get().status().value() + ")",
            now);
        return;
      }
      List<Message> claimed =
          messages.claimDue(sessionId, now, now.plus(settings.claimLease()), CLAIM_BATCH);
      if (claimed.isEmpty()) {
        return;
      }
      if (found.isEmpty()) {
        claimed.forEach(m -> fail(m, "session was deleted", now));
        return;
      }
      Batch batch = prepare(found.get(), claimed, now);
      Pause pause = null;
      for (Message message : claimed) {
        if (pause == null && stopping) {
          // Shutting down: give the rest of the claim back now rather than after its lease.
          pause = new Pause(clock.instant(), "waiting: Flowmate was stopping");
        }
        if (pause == null) {
          pause = sendOne(batch, message);
        }
        if (pause != null) {
          messages.requeue(message.id(), pause.until(), pause.reason(), false, clock.instant());
        }
      }
      if (pause != null) {
        return;
      }
    }
  }

  /** The number must wait until then, for this reason; its lane stops for now. */
  private record Pause(Instant until, String reason) {}

  /** What every message of a claimed batch is checked against, loaded once for the batch. */
  private record Batch(
      SessionInfo session,
      SendPolicy.Checker policy,
      Optional<SenderStateRepository.SenderState> senderState,
      SendPacer.Limits limits) {}

  private Batch prepare(SessionInfo session, List<Message> claimed, Instant now) {
    TenantSettings tenantSettings = tenants.settings(session.tenantId());
    return new Batch(
        session,
        policy.prepare(
            session.tenantId(), tenantSettings, session.id(), claimed.stream().map(Message::chatId).toList()),
        senderStates.find(session.id()),
        settings.governor().pacing() ? limits(session, tenantSettings, now) : null);
  }

  /** Sends one claimed message, or answers that the number must pause (the message waits too). */
  private Pause sendOne(Batch batch, Message message) {
    Instant now = clock.instant();
    SessionInfo session = batch.session();
    if (!"reaction".equals(message.content().type())) {
      Optional<SendPolicy.Refusal> refusal = batch.policy().check(message.chatId(), null);
      if (refusal.isPresent()) {
        fail(message, "not sent: " + refusal.get().reason(), now);
        return null;
      }
    }
    Optional<Pause> lock = reachoutLock(batch, message, now);
    if (lock.isPresent()) {
      // Only this message waits: the number may still write to contacts it knows.
      messages.requeue(message.id(), lock.get().until(), lock.get().reason(), false, now);
      return null;
    }
    if (batch.limits() != null) {
      SendPacer.Verdict verdict = pacer.decide(session.id(), batch.limits(), now);
      if (!verdict.allowsNow()) {
        return new Pause(verdict.notBefore(), "waiting: " + verdict.reason());
      }
    }
    try {
      // First, so that media that cannot be downloaded fails the message before "typing…" shows.
      OutboundMessage outgoing = outbound.toOutbound(message.content());
      simulateTyping(session, message);
      SendReceipt receipt =
          transport.send(
              session.ref(),
              message.chatId(),
              outgoing,
              new SendOptions(message.id().toString(), message.content().replyTo()));
      recordSent(message, receipt);
      if (batch.limits() != null) {
        pacer.sent(session.id(), batch.limits(), receipt.acceptedAt(), message.sendGap());
      }
    } catch (TransportException e) {
      failOrRetry(message, e.getMessage(), e.retryable());
    } catch (RuntimeException e) {
      log.warn("Transport error on message {}", message.id(), e);
      failOrRetry(message, "transport error: " + e.getMessage(), true);
    }
    return null;
  }

  /** New contacts wait while WhatsApp's reach-out timelock (error 463) lasts. */
  private Optional<Pause> reachoutLock(Batch batch, Message message, Instant now) {
    SessionInfo session = batch.session();
    return batch
        .senderState()
        .filter(state -> state.reachoutLockedUntil() != null && state.reachoutLockedUntil().isAfter(now))
        .filter(state -> message.chatId().kind() != io.flowmate.core.ChatId.Kind.GROUP)
        .filter(state -> !messages.everSentTo(session.id(), message.chatId()))
        .filter(state -> chats.find(session.id(), message.chatId()).map(c -> c.lastInboundAt() == null).orElse(true))
        .map(
            state ->
                new Pause(
                    state.reachoutLockedUntil(),
                    "waiting: WhatsApp's reach-out timelock (error 463) pauses messages to new"
                        + " contacts until " + state.reachoutLockedUntil()));
  }

  private SendPacer.Limits limits(SessionInfo session, TenantSettings tenantSettings, Instant now) {
    PlanLimits plan = tenants.limits(session.tenantId());
    int perHour = settings.governor().hourlyCap();
    int perDay = settings.governor().dailyCap();
    Duration age = session.pairedAt() == null ? Duration.ZERO : Duration.between(session.pairedAt(), now);
    for (MessagingSettings.Governor.WarmUpStep step : settings.governor().warmUpSteps()) {
      if (age.compareTo(step.age()) < 0) {
        perHour = Math.min(perHour, step.perHour());
        perDay = Math.min(perDay, step.perDay());
        break;
      }
    }
    return new SendPacer.Limits(
        plan.messagesPerMinute(),
        perHour,
        perDay,
        ZoneId.of(tenantSettings.timezone()),
        tenantSettings.quietHoursStart(),
        tenantSettings.quietHoursEnd());
  }

  /** Seen → typing for a time that grows with the text → paused, as a person would. */
  private void simulateTyping(SessionInfo session, Message message) {
    MessagingSettings.Typing typing = settings.governor().typing();
    if (!typing.enabled() || "reaction".equals(message.content().type())) {
      return;
    }
    try {
      boolean unread = chats.find(session.id(), message.chatId()).map(c -> c.unreadCount() > 0).orElse(false);
      if (unread) {
        transport.markRead(session.ref(), message.chatId(), List.of());
        chats.markRead(session.id(), message.chatId());
      }
      int length = message.content().body() == null ? 20 : message.content().body().length();
      long millis = typing.perCharacter().toMillis() * length;
      millis = Math.max(typing.min().toMillis(), Math.min(typing.max().toMillis(), millis));
      millis = Math.round(millis * (0.8 + 0.4 * random.nextDouble()));
      transport.typing(session.ref(), message.chatId(), true);
      Thread.sleep(millis);
      transport.typing(session.ref(), message.chatId(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TransportException e) {
      log.debug("Typing indicator not shown for {}: {}", message.id(), e.getMessage());
    }
  }

  /**
   * The "sent" record, the chat's summary and the announcement commit together (one commit for
   * the message, and listeners write in it); acks that overtook it are applied once it is visible.
   */
  private void recordSent(Message message, SendReceipt receipt) {
    try {
      writeSent(message, receipt);
    } catch (RuntimeException e) {
      // Never queued again: WhatsApp has it. The claim lapses and the lane settles it by asking
      // the transport, as after a crash.
      log.error("Message {} was handed over but its 'sent' record failed; it is settled when its claim lapses",
          message.id(), e);
      return;
    }
    deliveries.applyEarlyAcks(message.sessionId(), receipt.providerMessageId());
  }

  private void writeSent(Message message, SendReceipt receipt) {
    transaction.executeWithoutResult(
        status -> {
          messages
              .markSent(message.id(), receipt.providerMessageId(), receipt.acceptedAt(), clock.instant())
              .ifPresent(sent -> events.publishEvent(sent.changed(MessageStatus.SENT.value(), receipt.acceptedAt())));
          chats.record(
              new Message(
                  message.id(), message.tenantId(), message.sessionId(), message.chatId(), message.direction(),
                  message.source(), message.content(), message.sender(), MessageStatus.SENT, null,
                  message.idempotencyKey(), null, receipt.providerMessageId(), null, null, null, 0,
                  message.times(), message.sendGap()),
              null,
              receipt.acceptedAt());
        });
  }

  /** Fails a message that has not left, and announces it in the same transaction. */
  private void fail(Message message, String reason, Instant now) {
    transaction.executeWithoutResult(
        status ->
            messages
                .markFailed(message.id(), reason, now)
                .ifPresent(failed -> events.publishEvent(failed.changed(MessageStatus.FAILED.value(), now))));
  }

  private void failOrRetry(Message message, String reason, boolean retryable) {
    Instant now = clock.instant();
    if (retryable && message.attempts() < settings.maxAttempts()) {
      Duration backoff = settings.retryDelay().multipliedBy(1L << Math.min(message.attempts() - 1, 10));
      messages.requeue(message.id(), now.plus(backoff), reason, true, now);
    } else {
      fail(message, retryable ? reason + " (gave up after " + message.attempts() + " attempts)" : reason, now);
    }
  }

  /**
   * Starts lanes for numbers with due messages or with claims whose lane died; a lane settles
   * those first, so a slow transport lookup holds up only its own number.
   */
  @Scheduled(fixedDelayString = "${flowmate.messaging.dispatch-interval:1s}")
  void sweep() {
    for (UUID sessionId : messages.sessionsWithLapsedClaims(clock.instant(), SWEEP_BATCH)) {
      wake(sessionId);
    }
    for (UUID sessionId : messages.sessionsWithQueuedMessages(SWEEP_BATCH)) {
      wake(sessionId);
    }
  }

  /**
   * Settles the number's lapsed claims. Runs in the number's lane before it claims anything, so
   * none of these is in flight: its lane died, or an earlier run of this lane did.
   */
  private void recoverLapsedClaims(UUID sessionId) {
    List<Message> lapsed = messages.lapsedClaims(sessionId, clock.instant(), SWEEP_BATCH);
    if (lapsed.isEmpty()) {
      return;
    }
    Optional<SessionInfo> session = sessions.findById(sessionId);
    for (Message message : lapsed) {
      if (session.isEmpty()) {
        fail(message, "session was deleted", clock.instant());
      } else if (!recoverLapsedClaim(session.get(), message)) {
        // The transport cannot answer now; it would not for the number's other claims either.
        return;
      }
    }
  }

  /** False when the transport could not answer now: the claim stays lapsed for the next sweep. */
  private boolean recoverLapsedClaim(SessionInfo session, Message message) {
    Instant now = clock.instant();
    if (!transport.capabilities().findsSentMessages()) {
      log.warn("Message {} was claimed before a crash and {} cannot tell whether WhatsApp accepted it;"
          + " marking it failed rather than risking a duplicate", message.id(), transport.kind());
      fail(message, MAY_HAVE_BEEN_SENT, now);
      return true;
    }
    Optional<SendReceipt> accepted;
    try {
      accepted = transport.findSent(session.ref(), sentLookup(message));
    } catch (TransportException e) {
      if (e.retryable()) {
        log.warn("Could not find out whether message {} was accepted before a crash; asking again on"
            + " the next sweep: {}", message.id(), LogSafe.text(e.getMessage()));
        return false;
      }
      log.warn("Cannot find out whether message {} was accepted before a crash: {}",
          message.id(), LogSafe.text(e.getMessage()));
      fail(message, MAY_HAVE_BEEN_SENT + " (" + e.getMessage() + ")", now);
      return true;
    } catch (RuntimeException e) {
      log.warn("Looking up message {} after a crash failed; asking again on the next sweep",
          message.id(), e);
      return false;
    }
    if (accepted.isPresent()) {
      log.info("Message {} was accepted before a crash; recording it as sent", message.id());
      recordSent(message, accepted.get());
    } else {
      log.info("Message {} was claimed but not sent before a crash; queueing it again", message.id());
      messages.requeue(message.id(), now, "claim lapsed", true, now);
    }
    return true;
  }

  /** The message as it was handed over; its claim began one lease before the lease's end. */
  private SentLookup sentLookup(Message message) {
    return new SentLookup(
        message.id().toString(),
        message.chatId(),
        outbound.describe(message.content()),
        message.times().leaseUntil().minus(settings.claimLease()));
  }

  /** A number that starts working gets its waiting messages sent at once. */
  @ApplicationModuleListener
  void on(SessionStatusChanged event) {
    if ("working".equals(event.status())) {
      messages.makeDueNow(event.sessionId(), clock.instant());
      wake(event.sessionId());
    }
  }

  Map<String, Object> lanesState() {
    return Map.of("running", running.size());
  }

  /**
   * Lets each lane finish the message in hand (hand-over and "sent" record belong together: cut
   * between them, the message would wait for its lease and a lookup to be known as sent) and give
   * back the rest of its claim; only lanes still busy after the grace time are interrupted.
   */
  @Override
  public void destroy() throws InterruptedException {
    stopping = true;
    lanes.shutdown();
    if (!lanes.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      lanes.shutdownNow();
    }
  }
}
