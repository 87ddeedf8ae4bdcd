package io.flowmate.analytics.readmodel;

import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.core.ChatId;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.messaging.MessageHistory;
import io.flowmate.messaging.MessageHistory.StoredMessage;
import io.flowmate.messaging.events.MessageReceived;
import io.flowmate.messaging.events.MessageStatusChanged;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the read models afresh from messaging's stored history ({@link MessageHistory}): on the
 * first start after analytics was installed, so that an existing database starts with its past, and
 * on an operator's request. Each stored message is replayed as the events it went through (queued,
 * sent, delivered, read, played, failed or cancelled, replied; or received) through the same rules
 * as the live listener ({@link AnalyticsRecorder}).
 *
 * <p>It runs in one transaction that first locks the read models: messaging transactions that would
 * write to them wait at their commit until the rebuild is done, and those that wrote before are
 * committed and in the history it reads. So every change is counted exactly once, either from the
 * history or by the listener afterwards. The price is that recording messages pauses while it runs:
 * on a large database, rebuild at a quiet time.
 */
@Component
class AnalyticsRebuild {

  private static final Logger log = LoggerFactory.getLogger(AnalyticsRebuild.class);
  private static final MessageId BEFORE_ALL = MessageId.of(new UUID(0, 0));

  private final MessageHistory history;
  private final AnalyticsRecorder recorder;
  private final AnalyticsReadModelRepository readModels;
  private final TransactionTemplate transaction;
  private final AnalyticsSettings.ReadModels settings;
  private final Clock clock;

  AnalyticsRebuild(
      MessageHistory history,
      AnalyticsRecorder recorder,
      AnalyticsReadModelRepository readModels,
      TransactionTemplate transaction,
      AnalyticsSettings settings,
      Clock clock) {
    this.history = history;
    this.recorder = recorder;
    this.readModels = readModels;
    this.transaction = transaction;
    this.settings = settings.readModels();
    this.clock = clock;
  }

  /**
   * @param messages stored messages replayed
   * @param rebuiltAt when the rebuild finished (the previous one's when nothing was done)
   * @param rebuilt false when it was not needed (first start, built before)
   */
  record Outcome(long messages, Instant rebuiltAt, boolean rebuilt) {}

  @EventListener(ApplicationReadyEvent.class)
  void onFirstStart() {
    if (!settings.enabled() || !settings.rebuildOnFirstStart()) {
      return;
    }
    try {
      Outcome outcome = rebuild(true);
      if (outcome.rebuilt()) {
        log.info("Analytics read models built from {} stored messages", outcome.messages());
      }
    } catch (RuntimeException e) {
      log.error(
          "Building the analytics read models from the stored messages failed; rebuild them through"
              + " POST /api/v2/analytics/rebuild",
          e);
    }
  }

  /**
   * Rebuilds every tenant's read models; with {@code onlyIfNeverBuilt}, only on the first start.
   */
  Outcome rebuild(boolean onlyIfNeverBuilt) {
    return transaction.execute(status -> {
      readModels.lockForRebuild();
      var before = readModels.rebuiltAt();
      if (onlyIfNeverBuilt && before.isPresent()) {
        return new Outcome(0, before.get(), false);
      }
      readModels.clear();
      long count = 0;
      MessageId after = BEFORE_ALL;
      List<StoredMessage> page;
      while (!(page = history.after(after, settings.rebuildBatch())).isEmpty()) {
        AnalyticsDeltas deltas = new AnalyticsDeltas();
        page.forEach(message -> replay(deltas, message));
        readModels.apply(deltas, 0);
        count += page.size();
        after = MessageId.of(page.getLast().id());
      }
      Instant now = clock.instant();
      readModels.markRebuilt(now, count);
      return new Outcome(count, now, true);
    });
  }

  /** The events the message went through, as far as its stored times tell. */
  private void replay(AnalyticsDeltas deltas, StoredMessage m) {
    if (!m.outbound()) {
      boolean group =
          ChatId.tryParse(m.chatId()).map(c -> c.kind() == ChatId.Kind.GROUP).orElse(true);
      recorder.replay(
          deltas,
          new MessageReceived(
              m.tenantId(),
              SessionId.of(m.sessionId()),
              MessageId.of(m.id()),
              m.chatId(),
              m.contactId(),
              group,
              null,
              m.createdAt(),
              m.senderPhone()));
      return;
    }
    String reached = null;
    if (m.originKind() != null) {
      reached = step(deltas, m, "queued", m.createdAt(), reached);
    }
    if (m.sentAt() != null) {
      reached = step(deltas, m, "sent", m.sentAt(), reached);
    }
    if (m.deliveredAt() != null) {
      reached = step(deltas, m, "delivered", m.deliveredAt(), reached);
    }
    if (m.readAt() != null) {
      reached = step(deltas, m, "read", m.readAt(), reached);
    }
    if (m.playedAt() != null) {
      reached = step(deltas, m, "played", m.playedAt(), reached);
    }
    if ("failed".equals(m.status()) || "cancelled".equals(m.status())) {
      step(deltas, m, m.status(), m.finishedAt(), reached);
    }
    if (m.repliedAt() != null) {
      step(deltas, m, "replied", m.repliedAt(), m.status());
    }
  }

  private String step(
      AnalyticsDeltas deltas, StoredMessage m, String status, Instant at, String previous) {
    boolean ended = "failed".equals(status) || "cancelled".equals(status);
    recorder.replay(
        deltas,
        new MessageStatusChanged(
            m.tenantId(),
            SessionId.of(m.sessionId()),
            MessageId.of(m.id()),
            status,
            at,
            previous,
            m.chatId(),
            m.originKind(),
            m.originId(),
            ended ? m.failureReason() : null,
            "queued".equals(status) ? null : m.sentAt()));
    return status;
  }
}
