package io.flowmate.outreach.schedule;

import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.OccurrencePlanner;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Outbox;
import io.flowmate.outreach.OutreachSettings;
import io.flowmate.outreach.audience.Audience;
import io.flowmate.outreach.audience.MessageTemplate;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the {@code outreach-scheduled-message} instance does at each step, always from the schedule
 * as PostgreSQL has it now: which occurrence to wait for ({@link #plan}), and what to do when it is
 * due ({@link #send}).
 *
 * <p>"Now" is the application's {@link Clock}, the same clock the embedded engine's timers follow
 * in production; occurrences themselves are computed from the previous occurrence, never from the
 * moment a job happens to run, so a late job does not shift the schedule.
 */
@Service
class ScheduledOccurrences {

  private final ScheduledMessageRepository schedules;
  private final Audience audience;
  private final Sessions sessions;
  private final Outbox outbox;
  private final OutreachSettings.Schedules settings;
  private final OccurrencePlanner<ScheduledMessage> planner;

  ScheduledOccurrences(
      ScheduledMessageRepository schedules,
      Audience audience,
      Sessions sessions,
      Outbox outbox,
      OutreachSettings settings,
      TransactionTemplate transaction,
      Clock clock) {
    this.schedules = schedules;
    this.audience = audience;
    this.sessions = sessions;
    this.outbox = outbox;
    this.settings = settings.schedules();
    this.planner =
        new OccurrencePlanner<>(
            "Schedule",
            new OccurrencePlanner.Rows<>() {
              @Override
              public Optional<ScheduledMessage> find(UUID id) {
                return schedules.findById(id);
              }

              @Override
              public boolean advance(UUID id, Instant due, Instant next, boolean ran, Instant now) {
                return schedules.advance(id, due, next, ran, now);
              }

              @Override
              public void recordMissed(
                  ScheduledMessage schedule, List<Instant> missed, String reason, Instant now) {
                schedules.recordMissed(schedule.id(), missed, reason, now);
              }
            },
            this.settings.missedGrace(),
            missedReason(),
            transaction,
            clock,
            ForgedJob::refuse);
  }

  /** What the instance does next: see {@link OccurrencePlanner}. */
  OccurrencePlanner.Plan plan(TenantId tenant, UUID scheduleId) {
    return planner.plan(tenant, scheduleId);
  }

  /**
   * Sends the occurrence the timer fired for, records it in the history and moves the schedule to
   * its next occurrence. Nothing is sent if the schedule no longer waits for this occurrence
   * (paused, cancelled, deleted or re-timed meanwhile: its instance is about to hear of it).
   *
   * <p>Safe to run twice (a retried job, a restart): each message's idempotency key is {@code
   * schedule:<id>:<occurrence>:<chat>}, so the outbox queues it once.
   */
  void send(TenantId tenant, UUID scheduleId, Instant occurrence) {
    Optional<OccurrencePlanner.Due<ScheduledMessage>> due =
        planner.due(tenant, scheduleId, occurrence);
    if (due.isEmpty()) {
      return;
    }
    ScheduledMessage schedule = due.get().row();
    Delivery delivery;
    try {
      delivery = deliver(schedule, occurrence);
    } catch (TargetGone e) {
      delivery = new Delivery(0, 0, e.getMessage());
    }
    schedules.recordExecution(
        new ScheduledExecution(
            Ids.newId(),
            scheduleId,
            occurrence,
            delivery.error() != null && delivery.queued() == 0
                ? ScheduledExecution.FAILED
                : ScheduledExecution.EXECUTED,
            delivery.recipients(),
            delivery.queued(),
            delivery.error(),
            due.get().now()));
    schedules.advance(scheduleId, occurrence, due.get().next(), true, due.get().now());
  }

  /** What one occurrence queued; {@code error} says why some or all recipients got nothing. */
  private record Delivery(int recipients, int queued, String error) {}

  /** The schedule's session or custom group no longer exists. */
  private static final class TargetGone extends Exception {
    TargetGone(String reason) {
      super(reason);
    }
  }

  private Delivery deliver(ScheduledMessage schedule, Instant occurrence) throws TargetGone {
    if (sessions.find(schedule.tenantId(), SessionId.of(schedule.sessionId())).isEmpty()) {
      throw new TargetGone("session %s no longer exists".formatted(schedule.sessionId()));
    }
    String keyPrefix = "schedule:%s:%s:".formatted(schedule.id(), occurrence);
    if (schedule.chatId() != null) {
      ChatId chat = new ChatId(schedule.chatId());
      enqueue(
          schedule,
          List.of(
              new Outbox.Outgoing(
                  chat,
                  content(schedule, occurrence, chat.value(), null, Map.of()),
                  keyPrefix + chat)));
      return new Delivery(1, 1, null);
    }
    if (!audience.groupExists(schedule.tenantId(), schedule.customGroupId())) {
      throw new TargetGone("custom group %s no longer exists".formatted(schedule.customGroupId()));
    }
    int recipients = 0;
    int queued = 0;
    int badNumbers = 0;
    UUID after = null;
    while (true) {
      List<Audience.Member> page =
          audience.page(
              schedule.customGroupId(), schedule.memberFilter(), after, settings.sendBatch());
      List<Outbox.Outgoing> messages = new ArrayList<>(page.size());
      for (Audience.Member member : page) {
        Optional<ChatId> chat = ChatId.tryParse(member.phone());
        if (chat.isEmpty()) {
          badNumbers++;
          continue;
        }
        messages.add(
            new Outbox.Outgoing(
                chat.get(),
                content(schedule, occurrence, member.phone(), member.name(), member.fields()),
                keyPrefix + chat.get()));
      }
      enqueue(schedule, messages);
      recipients += page.size();
      queued += messages.size();
      if (page.size() < settings.sendBatch()) {
        break;
      }
      after = page.getLast().id();
    }
    return new Delivery(
        recipients,
        queued,
        badNumbers == 0
            ? null
            : "%d member(s) skipped: not a valid phone number".formatted(badNumbers));
  }

  private void enqueue(ScheduledMessage schedule, List<Outbox.Outgoing> messages) {
    if (messages.isEmpty()) {
      return;
    }
    // repeatable: the same reminder is meant to go again next time, past the duplicate guard.
    outbox.enqueue(
        new Outbox.Batch(
            schedule.tenantId(),
            SessionId.of(schedule.sessionId()),
            schedule.origin(),
            messages,
            false,
            true,
            null));
  }

  private static Outbox.Content content(
      ScheduledMessage schedule,
      Instant occurrence,
      String phone,
      String name,
      Map<String, String> fields) {
    // Spin text varies between recipients and occurrences; a retried occurrence says the same.
    long seed =
        schedule.id().getLeastSignificantBits() ^ occurrence.getEpochSecond() ^ phone.hashCode();
    String text =
        schedule.messageContent() == null
            ? null
            : MessageTemplate.render(schedule.messageContent(), seed, phone, name, fields);
    if ("media".equals(schedule.messageType())) {
      return Outbox.Content.media(
          schedule.mediaUrl(), text == null || text.isBlank() ? null : text);
    }
    return Outbox.Content.text(text);
  }

  private String missedReason() {
    return ("not sent: it fell due while Flowmate was not running; only the latest occurrence within"
            + " %s of its time is sent late")
        .formatted(OccurrencePlanner.describe(settings.missedGrace()));
  }
}
