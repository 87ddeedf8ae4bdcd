package io.flowmate.messaging.outbox;

import io.flowmate.messaging.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * When a number may send its next message. Answers from the number's send history (the instants of
 * its recent sends) and its limits, never by sleeping:
 *
 * <ul>
 *   <li>never more than the plan's messages per minute in any 60-second window;
 *   <li>a randomised gap after every send (mean 60 s / rate, spread by the jitter), so that sends
 *       never come at a constant rhythm;
 *   <li>hourly and daily caps, lower while the number is new (warm-up);
 *   <li>no sends during the tenant's quiet hours (in its time zone).
 * </ul>
 */
class SendPacer {

  /** The instants of a number's sends since a given instant, oldest first. */
  @FunctionalInterface
  interface History {
    List<Instant> sendsSince(UUID sessionId, Instant since);
  }

  /**
   * Everything that limits one number right now.
   *
   * @param perMinute the plan's rate
   * @param perHour the hourly cap (warm-up applied)
   * @param perDay the daily cap (warm-up applied)
   * @param quietStart local start of the quiet hours, or null
   */
  record Limits(
      int perMinute,
      int perHour,
      int perDay,
      ZoneId zone,
      LocalTime quietStart,
      LocalTime quietEnd) {}

  /** When the number may send, and why not earlier. {@code notBefore} null means now. */
  record Verdict(Instant notBefore, String reason) {
    static final Verdict NOW = new Verdict(null, null);

    boolean allowsNow() {
      return notBefore == null;
    }
  }

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofDays(1);

  /**
   * The earliest instant of each number's next send, drawn when it last sent. Kept in the database
   * ({@code messaging_sender_state.next_send_at}), not here: every Flowmate instance sending for
   * the number must space its sends from the same slot.
   */
  interface Slots {
    /** The number's next slot, or null if none was drawn yet. */
    Instant next(UUID sessionId);

    void set(UUID sessionId, Instant slot);
  }

  private final History history;
  private final Slots slots;
  private final double jitter;
  private final RandomGenerator random;

  SendPacer(History history, Slots slots, double jitter, RandomGenerator random) {
    this.history = history;
    this.slots = slots;
    this.jitter = Math.max(0, Math.min(0.9, jitter));
    this.random = random;
  }

  Verdict decide(UUID sessionId, Limits limits, Instant now) {
    Instant quietEnd = quietHoursEnd(limits, now);
    if (quietEnd != null) {
      return new Verdict(quietEnd, "quiet hours until " + quietEnd);
    }
    List<Instant> lastDay = history.sendsSince(sessionId, now.minus(DAY));
    Verdict verdict = window(lastDay, now, MINUTE, limits.perMinute(), "messages per minute");
    verdict = later(verdict, window(lastDay, now, HOUR, limits.perHour(), "messages per hour"));
    verdict = later(verdict, window(lastDay, now, DAY, limits.perDay(), "messages per day"));
    Instant slot = slots.next(sessionId);
    if (slot == null) {
      slot = lastDay.isEmpty() ? now : lastDay.getLast().plus(meanGap(limits));
    }
    if (slot.isAfter(now)) {
      verdict = later(verdict, new Verdict(slot, "spacing sends (randomised gap)"));
    }
    return verdict;
  }

  /**
   * Draws the gap before the number's next send. Call after every send.
   *
   * @param campaignGap the sent message's own delay range (a campaign's), or null
   */
  void sent(UUID sessionId, Limits limits, Instant at, Outbox.SendGap campaignGap) {
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    long gapMillis = Math.round(meanGap(limits).toMillis() * factor);
    if (campaignGap != null) {
      long min = campaignGap.min().toMillis();
      long spread = campaignGap.max().toMillis() - min;
      gapMillis = Math.max(gapMillis, min + (spread == 0 ? 0 : random.nextLong(spread + 1)));
    }
    slots.set(sessionId, at.plusMillis(Math.max(gapMillis, 1)));
  }

  private static Duration meanGap(Limits limits) {
    return MINUTE.dividedBy(Math.max(limits.perMinute(), 1));
  }

  /** At most {@code max} sends in any window of this length ending now. */
  private static Verdict window(
      List<Instant> sends, Instant now, Duration length, int max, String what) {
    Instant since = now.minus(length);
    List<Instant> inWindow = sends.stream().filter(s -> s.isAfter(since)).toList();
    if (inWindow.size() < max) {
      return Verdict.NOW;
    }
    // The window ending at T holds fewer than max sends once the oldest counted one leaves it.
    Instant free = inWindow.get(inWindow.size() - max).plus(length).plusMillis(1);
    return new Verdict(free, "limit of %d %s reached".formatted(max, what));
  }

  private static Verdict later(Verdict a, Verdict b) {
    if (a.allowsNow()) {
      return b;
    }
    if (b.allowsNow()) {
      return a;
    }
    return b.notBefore().isAfter(a.notBefore()) ? b : a;
  }

  /** The end of the quiet hours if {@code now} falls in them. */
  static Instant quietHoursEnd(Limits limits, Instant now) {
    if (limits.quietStart() == null || limits.quietEnd() == null) {
      return null;
    }
    LocalDateTime local = LocalDateTime.ofInstant(now, limits.zone());
    LocalTime time = local.toLocalTime();
    boolean wraps = limits.quietStart().isAfter(limits.quietEnd());
    boolean quiet =
        wraps
            ? !time.isBefore(limits.quietStart()) || time.isBefore(limits.quietEnd())
            : !time.isBefore(limits.quietStart()) && time.isBefore(limits.quietEnd());
    if (!quiet) {
      return null;
    }
    LocalDateTime end = local.toLocalDate().atTime(limits.quietEnd());
    if (!end.isAfter(local)) {
      end = end.plusDays(1);
    }
    return end.atZone(limits.zone()).toInstant();
  }
}
