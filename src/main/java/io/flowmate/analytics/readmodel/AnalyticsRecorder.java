package io.flowmate.analytics.readmodel;

import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.events.MessageReceived;
import io.flowmate.messaging.events.MessageStatusChanged;
import io.flowmate.outreach.Campaigns;
import java.time.Duration;
import java.time.Instant;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the read models up to date from messaging's events, exactly: messaging publishes them in
 * the transaction that records the change (a batch of incoming messages, a batch of acks, a sent
 * record, a queued campaign batch), this listener adds them up in memory, and writes the sum in one
 * statement just before that transaction commits. The read models therefore change if and only if
 * messaging's change commits: a rolled-back batch (written again one by one by messaging) leaves
 * nothing behind, a crash loses nothing, and nothing is counted twice.
 *
 * <p>Incoming messages arrive by the thousand a second: the listener does no I/O per message (a
 * tenant's time zone is remembered) and costs one statement per transaction.
 */
@Component
class AnalyticsRecorder {

  private final AnalyticsReadModelRepository readModels;
  private final AnalyticsTimeZones zones;
  private final TransactionTemplate transaction;
  private final boolean enabled;
  private final Duration quickRead;

  AnalyticsRecorder(
      AnalyticsReadModelRepository readModels,
      AnalyticsTimeZones zones,
      TransactionTemplate transaction,
      AnalyticsSettings settings) {
    this.readModels = readModels;
    this.zones = zones;
    this.transaction = transaction;
    this.enabled = settings.readModels().enabled();
    this.quickRead = settings.readModels().quickRead();
  }

  @EventListener
  void on(MessageStatusChanged event) {
    if (!enabled) {
      return;
    }
    boolean campaign = Campaigns.ORIGIN_KIND.equals(event.originKind()) && event.originId() != null;
    String contact = AnalyticsContactKeys.ofChat(event.chatId());
    if (!campaign && contact == null) {
      return;
    }
    record(deltas -> add(deltas, event, campaign, contact));
  }

  @EventListener
  void on(MessageReceived event) {
    if (!enabled || event.groupMessage()) {
      return;
    }
    String contact = AnalyticsContactKeys.ofSender(event.chatId(), event.senderPhone());
    if (contact == null) {
      return;
    }
    record(deltas ->
        deltas.received(event.tenantId(), contact, event.contactId(), event.receivedAt()));
  }

  /** What one status change adds (live, or replayed from the stored history by the rebuild). */
  private void add(
      AnalyticsDeltas deltas, MessageStatusChanged event, boolean campaign, String contact) {
    String status = event.status();
    boolean replied = "replied".equals(status);
    AnalyticsDeltas.Step step = AnalyticsDeltas.Step.of(replied ? event.previousStatus() : status);
    if (campaign && step != null) {
      deltas.campaignMessage(
          event.messageId().value(),
          event.tenantId(),
          event.originId(),
          event.chatId(),
          step,
          replied ? null : event.changedAt(),
          event.failureReason(),
          event.sentAt(),
          replied ? event.changedAt() : null);
    }
    if (contact == null) {
      return;
    }
    TenantId tenant = event.tenantId();
    switch (status) {
      case "sent" -> {
        Instant sentAt = event.sentAt() != null ? event.sentAt() : event.changedAt();
        deltas.sent(tenant, contact, sentAt, hourOfWeek(tenant, sentAt));
      }
      case "read", "played" -> {
        // Once per message: a voice note is read, then played; only the first move past delivered
        // counts.
        AnalyticsDeltas.Step before = AnalyticsDeltas.Step.of(event.previousStatus());
        if (before == null || before.progress < AnalyticsDeltas.Step.READ.progress) {
          deltas.read(
              tenant,
              contact,
              hourOfWeekSent(event),
              readQuickly(event.sentAt(), event.changedAt()));
        }
      }
      case "replied" -> deltas.replied(tenant, contact, hourOfWeekSent(event));
      default -> {}
    }
  }

  boolean readQuickly(Instant sentAt, Instant readAt) {
    return sentAt != null
        && readAt != null
        && Duration.between(sentAt, readAt).compareTo(quickRead) <= 0;
  }

  int hourOfWeek(TenantId tenant, Instant at) {
    return SendTimeSlots.hourOfWeek(at, zones.of(tenant));
  }

  private Integer hourOfWeekSent(MessageStatusChanged event) {
    return event.sentAt() == null ? null : hourOfWeek(event.tenantId(), event.sentAt());
  }

  private interface Change {
    void addTo(AnalyticsDeltas deltas);
  }

  /**
   * Adds the change to the current transaction's deltas (written before it commits), or writes it
   * at once when the event came outside a transaction.
   */
  private void record(Change change) {
    if (TransactionSynchronizationManager.isActualTransactionActive()
        && TransactionSynchronizationManager.isSynchronizationActive()) {
      change.addTo(currentFlush().deltas);
      return;
    }
    AnalyticsDeltas deltas = new AnalyticsDeltas();
    change.addTo(deltas);
    transaction.executeWithoutResult(status -> readModels.apply(deltas, shard()));
  }

  /**
   * The current transaction's pending write. Kept as its synchronization rather than as a bound
   * resource, so that a transaction suspended for a nested one keeps its own.
   */
  private Flush currentFlush() {
    for (TransactionSynchronization synchronization :
        TransactionSynchronizationManager.getSynchronizations()) {
      if (synchronization instanceof Flush flush && flush.owner == this) {
        return flush;
      }
    }
    Flush flush = new Flush(this);
    TransactionSynchronizationManager.registerSynchronization(flush);
    return flush;
  }

  /** Concurrent writers use different rows for the tenant-wide counters. */
  private static int shard() {
    return (int) (Thread.currentThread().threadId() % AnalyticsReadModelRepository.SHARDS);
  }

  private static final class Flush implements TransactionSynchronization {

    private final AnalyticsRecorder owner;
    private final AnalyticsDeltas deltas = new AnalyticsDeltas();

    private Flush(AnalyticsRecorder owner) {
      this.owner = owner;
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      owner.readModels.apply(deltas, shard());
    }

    @Override
    public int getOrder() {
      // After other synchronizations that might still publish events before the commit.
      return LOWEST_PRECEDENCE;
    }
  }

  /** For the rebuild: the same rules, applied to the stored history instead of live events. */
  void replay(AnalyticsDeltas deltas, MessageStatusChanged event) {
    boolean campaign = Campaigns.ORIGIN_KIND.equals(event.originKind()) && event.originId() != null;
    add(deltas, event, campaign, AnalyticsContactKeys.ofChat(event.chatId()));
  }

  void replay(AnalyticsDeltas deltas, MessageReceived event) {
    String contact = AnalyticsContactKeys.ofSender(event.chatId(), event.senderPhone());
    if (!event.groupMessage() && contact != null) {
      deltas.received(event.tenantId(), contact, event.contactId(), event.receivedAt());
    }
  }
}
