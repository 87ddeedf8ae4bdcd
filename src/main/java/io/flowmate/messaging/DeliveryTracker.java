package io.flowmate.messaging;

import io.flowmate.core.sse.LiveEvents;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.Ack;
import io.flowmate.gateway.spi.TransportEvent.DeliveryChanged;
import io.flowmate.gateway.spi.TransportEventListener;
import io.flowmate.messaging.MessageRepository.AckUpdate;
import io.flowmate.messaging.MessageRepository.AppliedAck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Moves outgoing messages forward as WhatsApp acknowledges them (sent → delivered → read →
 * played, or failed), never backwards. Acks are written in batches: a busy number produces two or
 * three of them per message.
 *
 * <p>An ack can overtake the dispatcher's "sent" record (a fast transport acks before the
 * dispatcher's commit); such acks wait here briefly and are applied when the message is recorded.
 * Parking and recording can cross (the record commits between the ack's lookup and its parking),
 * so parked acks are also retried on their own, sooner first, until they are two minutes old.
 * A failure with WhatsApp's error 463 (reach-out timelock) also pauses the number's sends to new
 * contacts.
 */
@Component
class DeliveryTracker implements TransportEventListener, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(DeliveryTracker.class);
  private static final Duration EARLY_ACK_TTL = Duration.ofMinutes(2);
  private static final Duration PARKED_RETRY = Duration.ofMillis(250);
  private static final int BATCH = 500;

  private final MessageRepository messages;
  private final SenderStateRepository senderStates;
  private final Sessions sessions;
  private final LiveEvents live;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transaction;
  private final MessagingSettings settings;
  private final Clock clock;
  private final ConcurrentLinkedQueue<AckUpdate> pending = new ConcurrentLinkedQueue<>();
  /** Parked acks by session and WhatsApp id; guarded by itself (parking and taking must not cross). */
  private final Map<String, List<Parked>> earlyAcks = new HashMap<>();
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "ack-writer");
            thread.setDaemon(true);
            return thread;
          });

  DeliveryTracker(
      MessageRepository messages,
      SenderStateRepository senderStates,
      Sessions sessions,
      LiveEvents live,
      ApplicationEventPublisher events,
      TransactionTemplate transaction,
      MessagingSettings settings,
      Clock clock) {
    this.messages = messages;
    this.senderStates = senderStates;
    this.sessions = sessions;
    this.live = live;
    this.events = events;
    this.transaction = transaction;
    this.settings = settings;
    this.clock = clock;
    writer.scheduleWithFixedDelay(this::flushQuietly, 20, 20, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onTransportEvent(TransportEvent event) {
    if (event instanceof DeliveryChanged ack) {
      pending.add(
          new AckUpdate(
              ack.sessionId(),
              ack.providerMessageId(),
              status(ack.ack()),
              ack.error() == null ? null : describe(ack.error()),
              ack.occurredAt()));
      if (ack.error() != null && "463".equals(ack.error().code())) {
        lockReachout(ack);
      }
    }
  }

  /** An ack waiting for its message's "sent" record; retried from {@code retryAt}. */
  private record Parked(AckUpdate ack, Instant parkedAt, Instant retryAt, int retries) {}

  /** Applies acks that arrived before the message was recorded as sent. */
  void applyEarlyAcks(UUID sessionId, String providerMessageId) {
    List<Parked> waiting;
    synchronized (earlyAcks) {
      waiting = earlyAcks.remove(sessionId + "/" + providerMessageId);
    }
    if (waiting != null) {
      waiting.forEach(parked -> pending.add(parked.ack()));
    }
  }

  /** Writes what is pending now (tests and shutdown; normally the writer does it every 20 ms). */
  synchronized void flush() {
    List<AckUpdate> batch = new ArrayList<>();
    for (AckUpdate ack = pending.poll(); ack != null; ack = pending.poll()) {
      batch.add(ack);
      if (batch.size() == BATCH) {
        write(batch);
        batch = new ArrayList<>();
      }
    }
    write(batch);
    retryParked(clock.instant());
  }

  /**
   * Gives parked acks another try (250 ms, 1 s, 4 s … after parking) and forgets those older than
   * the TTL: acks of messages sent from the phone itself never find a record here.
   */
  private void retryParked(Instant now) {
    Instant stale = now.minus(EARLY_ACK_TTL);
    List<Parked> due = new ArrayList<>();
    synchronized (earlyAcks) {
      earlyAcks
          .values()
          .removeIf(
              acks -> {
                acks.removeIf(parked -> parked.parkedAt().isBefore(stale));
                acks.removeIf(parked -> !parked.retryAt().isAfter(now) && due.add(parked));
                return acks.isEmpty();
              });
    }
    if (!due.isEmpty()) {
      try {
        transaction.executeWithoutResult(
            status -> {
              MessageRepository.AckOutcome outcome = messages.applyAcks(due.stream().map(Parked::ack).toList());
              outcome.applied().forEach(this::announce);
              Map<AckUpdate, Parked> byAck = new IdentityHashMap<>();
              due.forEach(parked -> byAck.put(parked.ack(), parked));
              outcome.unknown().forEach(ack -> park(byAck.get(ack), now));
            });
      } catch (RuntimeException e) {
        due.forEach(this::park);
        throw e;
      }
    }
  }

  private void park(AckUpdate ack, Instant now) {
    park(new Parked(ack, now, now.plus(PARKED_RETRY), 0));
  }

  private void park(Parked again, Instant now) {
    int retries = again.retries() + 1;
    Duration wait = PARKED_RETRY.multipliedBy(1L << Math.min(2 * retries, 20));
    park(new Parked(again.ack(), again.parkedAt(), now.plus(wait), retries));
  }

  private void park(Parked parked) {
    synchronized (earlyAcks) {
      earlyAcks
          .computeIfAbsent(parked.ack().sessionId() + "/" + parked.ack().waMessageId(), k -> new ArrayList<>())
          .add(parked);
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.error("Writing delivery acks failed; they are retried", e);
    }
  }

  private void write(List<AckUpdate> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      transaction.executeWithoutResult(
          status -> {
            MessageRepository.AckOutcome outcome = messages.applyAcks(batch);
            outcome.applied().forEach(this::announce);
            Instant now = clock.instant();
            outcome.unknown().forEach(ack -> park(ack, now));
          });
    } catch (RuntimeException e) {
      pending.addAll(batch);
      throw e;
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
        .ifPresent(
            session -> {
              senderStates.lockReachout(
                  session.tenantId(), session.id(), until, "error 463: reach-out timelock", now);
              log.warn("Session {} hit WhatsApp's reach-out timelock (463): new contacts paused until {}",
                  session.id(), until);
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
    writer.shutdown();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
      flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Could not write the last delivery acks: {}", e.getMessage());
    }
  }
}
