package io.flowmate.messaging.outbox;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.TenantSettings;
import io.flowmate.admin.Tenants;
import io.flowmate.core.LogSafe;
import io.flowmate.core.RepeatingFailureLog;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.events.SessionStatusChanged;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.SendOptions;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SentLookup;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.WhatsAppTransport;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.MessagingSettings;
import io.flowmate.messaging.chats.ChatRepository;
import io.flowmate.messaging.delivery.DeliveryTracker;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageRows;
import io.flowmate.messaging.message.MessageType;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The send governor and the outbox relay, one lane per WhatsApp number: the only caller of the
 * transport's {@code send}. A lane claims its number's due messages (status {@code sending}, with a
 * lease), checks each against the policy (whitelist, opt-outs, reciprocity, duplicates) and the
 * pacer (rate per minute in any 60-second window, randomised gaps, hourly and daily caps with
 * warm-up, quiet hours, the 463 reach-out lock), marks the chat read and shows "typing…" for a time
 * that grows with the text, hands the message over, and records {@code sent} with WhatsApp's id
 * right away. A message that must wait goes back to the queue with the reason and the time it may
 * go; it is not counted as an attempt.
 *
 * <p>A lane sends one message at a time, so a number's limits hold however many campaigns,
 * schedules and API calls queue for it. A claim whose lane died before recording the outcome
 * lapses, and the number's lane settles it before sending anything else: the transport is asked
 * whether WhatsApp accepted the message ({@link WhatsAppTransport#findSent}); recorded as sent if
 * it did, queued again if it did not, left for the next sweep if the transport cannot answer now,
 * and failed if it can never tell, because a message sent twice cannot be taken back.
 *
 * <p>Several instances may serve one database. A claim is named by a token and its lease is renewed
 * while the lane works on it (a send may take longer than the lease); whoever settles a lapsed
 * claim takes it over under a new token first. Every later state change names the token, and the
 * lane checks that its claim still holds a message right before handing it over, so a holder that
 * stalled past its lease and was taken over neither sends nor records anything. With pacing on, a
 * lane asks the pacer before it claims and claims one message at a time: nothing is claimed that
 * may not leave now, so a wait costs no writes.
 */
@Component
public class OutboxDispatcher implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final int CLAIM_BATCH = 100;
  private static final int SWEEP_BATCH = 200;
  private static final String MAY_HAVE_BEEN_SENT =
      "WhatsApp may or may not have accepted this message; not re-sent to avoid a duplicate";

  private final OutboxClaims messages;
  private final SendHistory sendHistory;
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

  /**
   * Leases measure real time between processes, whatever the business clock says (tests move that
   * one by minutes, which must not lapse a claim in hand).
   */
  private final Clock leaseClock = Clock.systemUTC();

  private final SendPacer pacer;
  private final ExecutorService lanes;

  /** Renews the leases of the claims the lanes are working on. */
  private final ScheduledExecutorService leases;

  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private final Set<UUID> wakeAgain = ConcurrentHashMap.newKeySet();

  /** Until when the pacer told each waiting number to wait: its lane need not ask again before. */
  private final Map<UUID, Instant> pausedUntil = new ConcurrentHashMap<>();

  private final RandomGenerator random = RandomGenerator.getDefault();

  /** Sweeps and lookups fail every second while the database or WhatsApp is away. */
  private final RepeatingFailureLog failures = new RepeatingFailureLog(log);

  /** Longer than the longest typing pause plus one send. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

  private volatile boolean stopping;

  /** Opens when Flowmate stops: a "typing…" pause ends at once. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  OutboxDispatcher(
      OutboxClaims messages,
      SendHistory sendHistory,
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
    this.sendHistory = sendHistory;
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
    this.pacer =
        new SendPacer(
            sendHistory::sendTimesSince,
            new SendPacer.Slots() {
              @Override
              public Instant next(UUID sessionId) {
                return senderStates.nextSendAt(sessionId);
              }

              @Override
              public void set(UUID sessionId, Instant slot) {
                senderStates.setNextSendAt(sessionId, slot);
              }
            },
            settings.governor().gapJitter(),
            random);
    AtomicInteger threads = new AtomicInteger();
    this.lanes =
        Executors.newFixedThreadPool(
            settings.dispatchThreads(),
            runnable -> {
              Thread thread = new Thread(runnable, "send-lane-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.leases =
        Executors.newSingleThreadScheduledExecutor(runnable -> {
          Thread thread = new Thread(runnable, "claim-leases");
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Makes the number's lane look for due messages now (a message was queued or released). */
  public void wake(UUID sessionId) {
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
      failures.succeeded("lane:" + sessionId, "The send lane of session " + sessionId);
    } catch (RuntimeException e) {
      failures.failed(
          "lane:" + sessionId,
          "The send lane of session " + sessionId + " (restarted by the next sweep)",
          e);
    } finally {
      running.remove(sessionId);
    }
  }

  /** Sends the number's due messages until none is left or the governor says wait. */
  private void drain(UUID sessionId) {
    while (!stopping) {
      Optional<SessionInfo> found = sessions.findById(SessionId.of(sessionId));
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
      if (found.isEmpty()) {
        try (Claim claim = claim(sessionId, now, CLAIM_BATCH)) {
          claim.messages().forEach(m -> fail(claim, m, "session was deleted", now));
        }
        return;
      }
      Instant paused = pausedUntil.get(sessionId);
      if (paused != null && paused.isAfter(now)) {
        return;
      }
      SessionInfo session = found.get();
      TenantSettings tenantSettings = tenants.settings(session.tenantId());
      SendPacer.Limits limits =
          settings.governor().pacing() ? limits(session, tenantSettings, now) : null;
      if (limits != null) {
        SendPacer.Verdict verdict = pacer.decide(sessionId, limits, now);
        if (!verdict.allowsNow()) {
          // Claim nothing that may not leave now; the sweep wakes the lane again. The reason is the
          // number's, written when it changes: no write per waiting message or per pause.
          senderStates.noteWaiting(
              session.tenantId(), sessionId, "waiting: " + verdict.reason(), now);
          pausedUntil.put(sessionId, verdict.notBefore());
          return;
        }
        pausedUntil.remove(sessionId);
      }
      // Paced, one lane of all instances sends for the number at a time: it takes the number's
      // turn (until its send sets the next slot, or for a lease if it dies meanwhile).
      Instant turnHeldUntil = limits == null ? null : now.plus(settings.claimLease());
      if (turnHeldUntil != null
          && !senderStates.takeTurn(session.tenantId(), sessionId, now, turnHeldUntil)) {
        pausedUntil.put(sessionId, now.plus(settings.retryDelay()));
        return;
      }
      boolean sent = false;
      // Paced, the pacer allows one send now: claim one message, not a batch to give back.
      try (Claim claim = claim(sessionId, now, limits == null ? CLAIM_BATCH : 1)) {
        if (claim.messages().isEmpty()) {
          return;
        }
        Batch batch = prepare(session, tenantSettings, limits, claim.messages());
        for (Message message : claim.messages()) {
          if (stopping) {
            // Shutting down: give the rest of the claim back now rather than after its lease.
            giveBack(claim, message);
          } else {
            sent |= sendOne(batch, claim, message);
          }
          claim.settled(message.id());
        }
      } finally {
        if (turnHeldUntil != null && !sent) {
          senderStates.giveBackTurn(sessionId, turnHeldUntil, clock.instant());
        }
      }
    }
  }

  /** Claims up to {@code limit} due messages under a new token and keeps their lease renewed. */
  private Claim claim(UUID sessionId, Instant now, int limit) {
    UUID token = UUID.randomUUID();
    Instant claimedAt = leaseClock.instant();
    return new Claim(
        token,
        messages.claimDue(
            sessionId, token, now, claimedAt, claimedAt.plus(settings.claimLease()), limit));
  }

  /**
   * Messages held under one token. Until it is closed, their lease is renewed every third of it,
   * for those the claim still holds (a lease that lapsed is not renewed: it may be taken over).
   */
  private final class Claim implements AutoCloseable {

    private final UUID token;
    private final List<Message> messages;
    private final Set<UUID> unsettled = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> renewal;

    Claim(UUID token, List<Message> claimed) {
      this.token = token;
      this.messages = claimed;
      claimed.forEach(m -> unsettled.add(m.id()));
      long every = Math.max(settings.claimLease().toMillis() / 3, 1);
      this.renewal =
          claimed.isEmpty()
              ? null
              : leases.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    UUID token() {
      return token;
    }

    List<Message> messages() {
      return messages;
    }

    /** The message's outcome is recorded (or it is not the claim's any more): stop renewing it. */
    void settled(UUID id) {
      unsettled.remove(id);
    }

    private void renew() {
      try {
        Instant now = leaseClock.instant();
        OutboxDispatcher.this.messages.renewClaim(
            Set.copyOf(unsettled), token, now, now.plus(settings.claimLease()));
        failures.succeeded("renew", "Renewing claim leases");
      } catch (RuntimeException e) {
        // Checked again before each hand-over: a claim that lapsed meanwhile sends nothing.
        failures.failed("renew", "Renewing claim leases", e);
      }
    }

    /**
     * Whether the message may be handed over now: the claim holds it with a third of a lease left,
     * or renews it now. Otherwise its lease lapsed and another dispatcher may be settling it.
     */
    boolean holds(Message message) {
      Instant now = leaseClock.instant();
      Duration lease = settings.claimLease();
      return OutboxDispatcher.this.messages.holdsClaim(
              message.id(), token, now.plus(lease.dividedBy(3)))
          || OutboxDispatcher.this
              .messages
              .renewClaim(List.of(message.id()), token, now, now.plus(lease))
              .contains(message.id());
    }

    @Override
    public void close() {
      if (renewal != null) {
        renewal.cancel(false);
      }
    }
  }

  /** What every message of a claimed batch is checked against, loaded once for the batch. */
  private record Batch(
      SessionInfo session,
      SendPolicy.Checker policy,
      Optional<SenderStateRepository.SenderState> senderState,
      SendPacer.Limits limits) {}

  private Batch prepare(
      SessionInfo session,
      TenantSettings tenantSettings,
      SendPacer.Limits limits,
      List<Message> claimed) {
    return new Batch(
        session,
        policy.prepare(
            session.tenantId(),
            tenantSettings,
            session.id().value(),
            claimed.stream().map(Message::chatId).toList()),
        senderStates.find(session.id().value()),
        limits);
  }

  /**
   * Sends one claimed message (or fails it, or puts it back to wait for the reach-out lock).
   *
   * @return whether the number's turn was used: WhatsApp accepted it, or may have (its answer was
   *     lost), and the pacer counted it
   */
  private boolean sendOne(Batch batch, Claim claim, Message message) {
    Instant now = clock.instant();
    SessionInfo session = batch.session();
    if (!message.content().is(MessageType.REACTION)) {
      Optional<SendPolicy.Refusal> refusal = batch.policy().check(message.chatId(), null);
      if (refusal.isPresent()) {
        fail(claim, message, "not sent: " + refusal.get().reason(), now);
        return false;
      }
    }
    Optional<Pause> lock = reachoutLock(batch, message, now);
    if (lock.isPresent()) {
      // Only this message waits: the number may still write to contacts it knows.
      messages.requeue(
          message.id(), claim.token(), lock.get().until(), lock.get().reason(), false, now);
      return false;
    }
    OutboundMessage outgoing;
    try {
      // First, so that media that cannot be downloaded fails the message before "typing…" shows.
      outgoing = outbound.toOutbound(message.content());
    } catch (TransportException e) {
      failOrRetry(claim, message, e.getMessage(), e.retryable());
      return false;
    } catch (RuntimeException e) {
      log.warn("Could not prepare message {} for sending", message.id(), e);
      failOrRetry(claim, message, "not sent: " + e.getMessage(), true);
      return false;
    }
    simulateTyping(session, message);
    if (stopping) {
      // Stopped while "typing…": not handed over yet, so it goes back to the queue.
      giveBack(claim, message);
      return false;
    }
    if (!claim.holds(message)) {
      log.warn(
          "Message {} is no longer held by this lane's claim (its lease lapsed); not sent here",
          message.id());
      return false;
    }
    SendReceipt receipt;
    try {
      receipt =
          transport.send(
              session.ref(),
              message.chatId(),
              outgoing,
              new SendOptions(message.id().toString(), message.content().replyTo()));
    } catch (TransportException e) {
      if (e.outcomeUnknown()) {
        awaitLookup(batch, claim, message, e.getMessage());
        return true;
      }
      failOrRetry(claim, message, e.getMessage(), e.retryable());
      return false;
    } catch (RuntimeException e) {
      // The transport broke its contract: what it did with the message is unknown.
      log.warn("Transport error on message {}", message.id(), e);
      awaitLookup(batch, claim, message, "transport error: " + e.getMessage());
      return true;
    }
    recordSent(claim.token(), message, receipt);
    if (batch.limits() != null) {
      pacer.sent(session.id().value(), batch.limits(), receipt.acceptedAt(), message.sendGap());
    }
    return true;
  }

  /**
   * WhatsApp may have accepted the message although its answer was lost: the message is never
   * handed over again on a guess. Its claim is left to lapse after {@code outcome-lookup-delay},
   * and the number's lane then settles it as after a crash ({@link #recoverLapsedClaims}): recorded
   * as sent if the transport finds it, queued again only if the transport says WhatsApp does not
   * have it. The pacer counts it as sent meanwhile, in case it was.
   */
  private void awaitLookup(Batch batch, Claim claim, Message message, String reason) {
    Instant now = clock.instant();
    Instant lookupAt = leaseClock.instant().plus(settings.outcomeLookupDelay());
    log.info(
        "Message {} may have reached WhatsApp although the send failed ({}); asking the transport"
            + " at {} whether it was accepted",
        message.id(),
        LogSafe.text(reason),
        lookupAt);
    messages.awaitLookup(
        message.id(), claim.token(), lookupAt, "outcome unknown, to be looked up: " + reason, now);
    if (batch.limits() != null) {
      pacer.sent(batch.session().id().value(), batch.limits(), now, message.sendGap());
    }
  }

  /** Puts a claimed message that was not handed over back in the queue, as Flowmate stops. */
  private void giveBack(Claim claim, Message message) {
    Instant now = clock.instant();
    messages.requeue(
        message.id(), claim.token(), now, "waiting: Flowmate was stopping", false, now);
  }

  /** The message must wait until then, for this reason. */
  private record Pause(Instant until, String reason) {}

  /** New contacts wait while WhatsApp's reach-out timelock (error 463) lasts. */
  private Optional<Pause> reachoutLock(Batch batch, Message message, Instant now) {
    SessionInfo session = batch.session();
    return batch
        .senderState()
        .filter(state ->
            state.reachoutLockedUntil() != null && state.reachoutLockedUntil().isAfter(now))
        .filter(state -> message.chatId().kind() != io.flowmate.core.ChatId.Kind.GROUP)
        .filter(state -> !sendHistory.everSentTo(session.id().value(), message.chatId()))
        .filter(state ->
            chats
                .find(session.id().value(), message.chatId())
                .map(c -> c.lastInboundAt() == null)
                .orElse(true))
        .map(state ->
            new Pause(
                state.reachoutLockedUntil(),
                "waiting: WhatsApp's reach-out timelock (error 463) pauses messages to new"
                    + " contacts until "
                    + state.reachoutLockedUntil()));
  }

  private SendPacer.Limits limits(SessionInfo session, TenantSettings tenantSettings, Instant now) {
    PlanLimits plan = tenants.limits(session.tenantId());
    int perHour = settings.governor().hourlyCap();
    int perDay = settings.governor().dailyCap();
    Duration age =
        session.pairedAt() == null ? Duration.ZERO : Duration.between(session.pairedAt(), now);
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
    if (!typing.enabled() || message.content().is(MessageType.REACTION)) {
      return;
    }
    try {
      boolean unread =
          chats
              .find(session.id().value(), message.chatId())
              .map(c -> c.unreadCount() > 0)
              .orElse(false);
      if (unread) {
        transport.markRead(session.ref(), message.chatId(), List.of());
        chats.markRead(session.id().value(), message.chatId());
      }
      int length = message.content().body() == null ? 20 : message.content().body().length();
      long millis = typing.perCharacter().toMillis() * length;
      millis = Math.max(typing.min().toMillis(), Math.min(typing.max().toMillis(), millis));
      millis = Math.round(millis * (0.8 + 0.4 * random.nextDouble()));
      transport.typing(session.ref(), message.chatId(), true);
      stopped.await(millis, TimeUnit.MILLISECONDS);
      transport.typing(session.ref(), message.chatId(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TransportException e) {
      log.debug("Typing indicator not shown for {}: {}", message.id(), e.getMessage());
    }
  }

  /**
   * The "sent" record, the chat's summary and the announcement commit together (one commit for the
   * message, and listeners write in it); acks that overtook it are applied once it is visible.
   */
  private void recordSent(UUID token, Message message, SendReceipt receipt) {
    String what = "Recording handed-over message " + message.id() + " as sent";
    String providerId = receipt.providerMessageId();
    try {
      boolean written;
      try {
        written = writeSent(token, message, providerId, receipt.acceptedAt());
      } catch (DuplicateKeyException e) {
        if (!providerIdTaken(e)) {
          throw e;
        }
        // The message did leave, so it is recorded sent: under a distinct id, because another
        // message of the number holds WhatsApp's (a transport that handed an id out twice).
        providerId = Message.distinctWaMessageId(providerId, message.id().toString());
        log.warn(
            "WhatsApp gave message {} an id that another message of session {} holds; recorded as"
                + " sent under a distinct id (acks naming WhatsApp's id go to the other message)",
            message.id(),
            message.sessionId());
        written = writeSent(token, message, providerId, receipt.acceptedAt());
      }
      if (!written) {
        // Handed over after the lease lapsed and the message was taken over: the new holder asks
        // WhatsApp and records what it answers.
        log.warn(
            "Message {} was handed over but its claim was taken over meanwhile; its new holder records it",
            message.id());
        return;
      }
      failures.succeeded("record:" + message.id(), what);
    } catch (RuntimeException e) {
      // Never queued again: WhatsApp has it. The claim lapses and the lane settles it by asking
      // the transport, as after a crash.
      failures.failed("record:" + message.id(), what + " (settled again when its claim lapses)", e);
      return;
    }
    deliveries.applyEarlyAcks(message.sessionId(), providerId);
  }

  /** Whether the unique WhatsApp id per number refused the write. */
  private static boolean providerIdTaken(DuplicateKeyException e) {
    return String.valueOf(e.getMostSpecificCause().getMessage())
        .contains("messaging_message_by_provider_id");
  }

  /** False if the claim no longer held the message: nothing is written. */
  private boolean writeSent(UUID token, Message message, String providerId, Instant acceptedAt) {
    return Boolean.TRUE.equals(
        transaction.execute(status -> {
          Optional<MessageRows.Moved> sent =
              messages.markSent(message.id(), token, providerId, acceptedAt, clock.instant());
          if (sent.isEmpty()) {
            return false;
          }
          events.publishEvent(sent.get().changed(MessageStatus.SENT.value(), acceptedAt));
          chats.record(message.sent(providerId), null, acceptedAt);
          return true;
        }));
  }

  /**
   * Fails a message the claim holds (it has not left), and announces it in the same transaction.
   */
  private void fail(Claim claim, Message message, String reason, Instant now) {
    fail(claim.token(), message, reason, now);
  }

  private void fail(UUID token, Message message, String reason, Instant now) {
    transaction.executeWithoutResult(status ->
        messages
            .markFailed(message.id(), token, reason, now)
            .ifPresent(
                failed -> events.publishEvent(failed.changed(MessageStatus.FAILED.value(), now))));
  }

  private void failOrRetry(Claim claim, Message message, String reason, boolean retryable) {
    Instant now = clock.instant();
    if (retryable && message.attempts() < settings.maxAttempts()) {
      Duration backoff =
          settings.retryDelay().multipliedBy(1L << Math.min(message.attempts() - 1, 10));
      messages.requeue(message.id(), claim.token(), now.plus(backoff), reason, true, now);
    } else {
      fail(
          claim,
          message,
          retryable ? reason + " (gave up after " + message.attempts() + " attempts)" : reason,
          now);
    }
  }

  /**
   * Starts lanes for numbers with due messages or with claims whose lane died; a lane settles those
   * first, so a slow transport lookup holds up only its own number.
   */
  @Scheduled(fixedDelayString = "${flowmate.messaging.dispatch-interval:1s}")
  void sweep() {
    try {
      for (UUID sessionId : messages.sessionsWithLapsedClaims(leaseClock.instant(), SWEEP_BATCH)) {
        wake(sessionId);
      }
      for (UUID sessionId : messages.sessionsWithQueuedMessages(SWEEP_BATCH)) {
        wake(sessionId);
      }
      failures.succeeded("sweep", "The outbox sweep");
    } catch (RuntimeException e) {
      failures.failed("sweep", "The outbox sweep", e);
    }
  }

  /**
   * Settles the number's lapsed claims: its holder died, or stalled past its lease (a lapsed lease
   * is not renewed, so that holder sends nothing more). Runs in the number's lane before it claims
   * anything. Each claim is taken over under a new token before its outcome is recorded; another
   * instance may be settling the same claims, and each goes to whichever takes it over first.
   */
  private void recoverLapsedClaims(UUID sessionId) {
    List<OutboxClaims.Claimed> lapsed =
        messages.lapsedClaims(sessionId, leaseClock.instant(), settings.claimLease(), SWEEP_BATCH);
    if (lapsed.isEmpty()) {
      return;
    }
    Optional<SessionInfo> session = sessions.findById(SessionId.of(sessionId));
    for (OutboxClaims.Claimed claimed : lapsed) {
      if (session.isEmpty()) {
        takeOver(claimed)
            .ifPresent(
                token -> fail(token, claimed.message(), "session was deleted", clock.instant()));
      } else if (!recoverLapsedClaim(session.get(), claimed)) {
        // The transport cannot answer now; it would not for the number's other claims either.
        return;
      }
    }
  }

  /** The new token, or empty if another dispatcher took the claim over first. */
  private Optional<UUID> takeOver(OutboxClaims.Claimed claimed) {
    UUID token = UUID.randomUUID();
    Instant now = leaseClock.instant();
    return messages.takeOverLapsed(
            claimed.message().id(), token, now, now.plus(settings.claimLease()))
        ? Optional.of(token)
        : Optional.empty();
  }

  /**
   * False when the transport could not answer now: the claim stays lapsed for the next sweep. The
   * transport is asked before the claim is taken over, so a lookup that fails costs no write.
   */
  private boolean recoverLapsedClaim(SessionInfo session, OutboxClaims.Claimed claimed) {
    Message message = claimed.message();
    if (!transport.capabilities().findsSentMessages()) {
      log.warn(
          "Message {} may have been handed over and {} cannot tell whether WhatsApp accepted it;"
              + " marking it failed rather than risking a duplicate",
          message.id(),
          transport.kind());
      takeOver(claimed)
          .ifPresent(token -> fail(token, message, MAY_HAVE_BEEN_SENT, clock.instant()));
      return true;
    }
    String lookup = "Asking whether WhatsApp accepted message " + message.id();
    Optional<SendReceipt> accepted;
    try {
      accepted = transport.findSent(session.ref(), sentLookup(claimed));
      failures.succeeded("lookup:" + message.id(), lookup);
    } catch (TransportException e) {
      if (e.retryable()) {
        failures.failed("lookup:" + message.id(), lookup + " (asked again each sweep)", e);
        return false;
      }
      failures.succeeded("lookup:" + message.id(), lookup);
      log.warn(
          "Cannot find out whether message {} was accepted: {}",
          message.id(),
          LogSafe.text(e.getMessage()));
      takeOver(claimed)
          .ifPresent(token ->
              fail(
                  token,
                  message,
                  MAY_HAVE_BEEN_SENT + " (" + e.getMessage() + ")",
                  clock.instant()));
      return true;
    } catch (RuntimeException e) {
      failures.failed("lookup:" + message.id(), lookup + " (asked again each sweep)", e);
      return false;
    }
    Optional<UUID> token = takeOver(claimed);
    if (token.isEmpty()) {
      return true;
    }
    Instant now = clock.instant();
    if (accepted.isPresent()) {
      log.info("Message {} had been accepted; recording it as sent", message.id());
      recordSent(token.get(), message, accepted.get());
    } else if (message.attempts() >= settings.maxAttempts()) {
      fail(
          token.get(),
          message,
          "not sent: WhatsApp did not accept it (gave up after "
              + message.attempts()
              + " attempts)",
          now);
    } else {
      log.info("Message {} had not been accepted; queueing it again", message.id());
      messages.requeue(
          message.id(), token.get(), now, "not accepted by WhatsApp; sending again", true, now);
    }
    return true;
  }

  /** The message as it was handed over, after its claim began. */
  private SentLookup sentLookup(OutboxClaims.Claimed claimed) {
    Message message = claimed.message();
    return new SentLookup(
        message.id().toString(),
        message.chatId(),
        outbound.describe(message.content()),
        claimed.claimedAt());
  }

  /** A number that starts working gets its waiting messages sent at once. */
  @ApplicationModuleListener
  void on(SessionStatusChanged event) {
    if ("working".equals(event.status())) {
      pausedUntil.remove(event.sessionId().value());
      messages.makeDueNow(event.sessionId().value(), clock.instant());
      wake(event.sessionId().value());
    }
  }

  Map<String, Object> lanesState() {
    return Map.of("running", running.size());
  }

  /**
   * Lets each lane finish the message in hand (hand-over and "sent" record belong together: cut
   * between them, the message would wait for its lease and a lookup to be known as sent) and give
   * back the rest of its claim; only lanes still busy after the grace time are interrupted. A lane
   * showing "typing…" stops at once and gives its message back.
   */
  @Override
  public void destroy() throws InterruptedException {
    stopping = true;
    stopped.countDown();
    lanes.shutdown();
    if (!lanes.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      lanes.shutdownNow();
    }
    // After the lanes: a lane finishing its message still needs its lease.
    leases.shutdownNow();
  }
}
