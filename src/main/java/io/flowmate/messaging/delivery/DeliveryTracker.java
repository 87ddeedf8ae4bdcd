package io.flowmate.messaging.delivery;

import io.flowmate.core.RepeatingFailureLog;
import io.flowmate.core.db.GroupCommit;
import io.flowmate.core.sse.LiveEvents;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.Ack;
import io.flowmate.gateway.spi.TransportEvent.DeliveryChanged;
import io.flowmate.gateway.spi.TransportEventListener;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.MessagingSettings;
import io.flowmate.messaging.delivery.DeliveryRepository.AckUpdate;
import io.flowmate.messaging.delivery.DeliveryRepository.AppliedAck;
import io.flowmate.messaging.outbox.SenderStateRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves outgoing messages forward as WhatsApp acknowledges them (sent → delivered → read → played,
 * or failed), never backwards. {@link #onTransportEvent} returns once the ack is committed, so a
 * webhook is answered only for acks that are kept (WAHA delivers it again otherwise); acks arriving
 * together share a transaction ({@link GroupCommit}).
 *
 * <p>An ack can overtake the dispatcher's "sent" record (a fast transport acks before the
 * dispatcher's commit); such acks are parked in the database, not in memory, and applied when the
 * message is recorded. Parking and recording can cross (the record commits between the ack's lookup
 * and its parking), so parked acks are also looked for on their own every 250 ms, until they are
 * two minutes old. A failure with WhatsApp's error 463 (reach-out timelock) also pauses the
 * number's sends to new contacts.
 */
@Component
public class DeliveryTracker implements TransportEventListener, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(DeliveryTracker.class);
  private static final Duration EARLY_ACK_TTL = Duration.ofMinutes(2);
  private static final Duration PARKED_RETRY = Duration.ofMillis(250);
  private static final int BATCH = 500;
  private static final int MAX_PARKED_HINTS = 100_000;

  private final DeliveryRepository messages;
  private final EarlyAckRepository earlyAcks;
  private final SenderStateRepository senderStates;
  private final Sessions sessions;
  private final LiveEvents live;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transaction;
  private final MessagingSettings settings;
  private final Clock clock;
  private final GroupCommit<AckUpdate> writer;

  /** The sweeper runs four times a second: a failure that lasts is logged once, then counted. */
  private final RepeatingFailureLog sweepFailures = new RepeatingFailureLog(log);

  /** Messages with acks this instance parked, as {@code session/WhatsApp id}: a hint, bounded. */
  private final Set<String> parkedHere = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "early-ack-sweeper");
        thread.setDaemon(true);
        return thread;
      });

  DeliveryTracker(
      DeliveryRepository messages,
      EarlyAckRepository earlyAcks,
      SenderStateRepository senderStates,
      Sessions sessions,
      LiveEvents live,
      ApplicationEventPublisher events,
      TransactionTemplate transaction,
      MessagingSettings settings,
      Clock clock) {
    this.messages = messages;
    this.earlyAcks = earlyAcks;
    this.senderStates = senderStates;
    this.sessions = sessions;
    this.live = live;
    this.events = events;
    this.transaction = transaction;
    this.settings = settings;
    this.clock = clock;
    this.writer =
        new GroupCommit<>(
            "acks",
            settings.inboundWriters(),
            BATCH,
            Duration.ofSeconds(30),
            transaction,
            this::record,
            ack -> (ack.sessionId() + "/" + ack.waMessageId()).hashCode());
    long every = PARKED_RETRY.toMillis();
    sweeper.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** Stores the ack and returns once it is committed; throws if it could not be stored. */
  @Override
  public void onTransportEvent(TransportEvent event) {
    if (event instanceof DeliveryChanged ack) {
      writer.write(
          new AckUpdate(
              ack.sessionId().value(),
              ack.providerMessageId(),
              status(ack.ack()),
              ack.error() == null ? null : describe(ack.error()),
              ack.occurredAt()));
      if (ack.error() != null && "463".equals(ack.error().code())) {
        lockReachout(ack);
      }
    }
  }

  /** Applies acks that arrived before the message was recorded as sent (else the sweeper will). */
  public void applyEarlyAcks(UUID sessionId, String providerMessageId) {
    // Only acks this instance parked are looked for here, so that a send costs no extra statement
    // in the usual case; those parked by another instance are applied by the sweeper.
    if (!parkedHere.remove(sessionId + "/" + providerMessageId)) {
      return;
    }
    try {
      transaction.executeWithoutResult(
          status -> apply(earlyAcks.take(sessionId, providerMessageId)));
    } catch (RuntimeException e) {
      log.warn(
          "Parked acks of a message of session {} not applied yet; the sweeper retries: {}",
          sessionId,
          e.getMessage());
    }
  }

  /**
   * Applies parked acks whose message is recorded by now and forgets those older than the TTL: acks
   * of messages sent from the phone itself never find a record here (the sweeper does this every
   * 250 ms; tests call it directly).
   */
  void flush() {
    transaction.executeWithoutResult(status -> {
      earlyAcks.forgetParkedBefore(clock.instant().minus(EARLY_ACK_TTL));
      apply(earlyAcks.takeRecorded());
    });
  }

  private void record(List<AckUpdate> batch) {
    DeliveryRepository.AckOutcome outcome = messages.applyAcks(batch);
    outcome.applied().forEach(this::announce);
    earlyAcks.park(outcome.unknown(), clock.instant());
    if (parkedHere.size() > MAX_PARKED_HINTS) {
      parkedHere.clear(); // only a hint: the sweeper applies whatever it forgets
    }
    outcome.unknown().forEach(ack -> parkedHere.add(ack.sessionId() + "/" + ack.waMessageId()));
  }

  private void apply(List<AckUpdate> parked) {
    if (!parked.isEmpty()) {
      messages.applyAcks(parked).applied().forEach(this::announce);
    }
  }

  private void flushQuietly() {
    String what = "Applying parked delivery acks";
    try {
      flush();
      sweepFailures.succeeded("flush", what);
    } catch (RuntimeException e) {
      sweepFailures.failed("flush", what + " (tried again every " + PARKED_RETRY + ")", e);
    }
  }

  private void announce(AppliedAck applied) {
    events.publishEvent(applied.moved().changed(applied.status().value(), applied.at()));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("message_id", applied.messageId());
    data.put("session_id", applied.sessionId());
    data.put("wa_message_id", applied.waMessageId());
    data.put("status", applied.status().value());
    data.put("at", applied.at().toString());
    live.publish(applied.tenantId(), applied.sessionId(), "message.status", data);
  }

  private void lockReachout(DeliveryChanged ack) {
    Instant now = clock.instant();
    Instant until =
        ack.error().until() != null && ack.error().until().isAfter(now)
            ? ack.error().until()
            : now.plus(settings.governor().reachoutLock());
    sessions
        .findById(ack.sessionId())
        .ifPresent(session -> {
          senderStates.lockReachout(
              session.tenantId(),
              session.id().value(),
              until,
              "error 463: reach-out timelock",
              now);
          log.warn(
              "Session {} hit WhatsApp's reach-out timelock (463): new contacts paused until {}",
              session.id(),
              until);
        });
  }

  private static String describe(TransportEvent.DeliveryError error) {
    StringBuilder text = new StringBuilder("WhatsApp refused the message");
    if (error.code() != null) {
      text.append(" (error ").append(error.code()).append(')');
    }
    if (error.reason() != null) {
      text.append(": ").append(error.reason());
    }
    if (error.until() != null) {
      text.append(", until ").append(error.until());
    }
    return text.toString();
  }

  private static MessageStatus status(Ack ack) {
    return switch (ack) {
      case SERVER -> MessageStatus.SENT;
      case DEVICE -> MessageStatus.DELIVERED;
      case READ -> MessageStatus.READ;
      case PLAYED -> MessageStatus.PLAYED;
      case FAILED -> MessageStatus.FAILED;
    };
  }

  @Override
  public void destroy() {
    sweeper.shutdown();
    writer.close();
  }
}
