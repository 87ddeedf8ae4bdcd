package io.flowmate.analytics.readmodel;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Hours of the week and how good each is for sending. A slot is the local hour of the week in which
 * a message was sent (Monday 00:00–01:00 is 0, Sunday 23:00–24:00 is 167), taken from the wall
 * clock of the tenant's zone on that date, so daylight-saving changes move nothing: 09:15 is slot
 * "09:00" in winter and in summer. In the hour the clocks go back twice, both passes count for that
 * hour; the skipped hour in spring has no messages.
 *
 * <p>A slot's score is {@code (quick-read rate + 2 × reply rate) / 3}, between 0 and 1: of the
 * messages sent in that hour, how many were read within the quick-read time, and how many the
 * contact replied to, a reply weighing twice a quick read. Only slots with at least the minimum
 * number of messages are ranked.
 */
final class SendTimeSlots {

  static final int HOURS_PER_WEEK = 7 * 24;

  private SendTimeSlots() {}

  /** The local hour of the week in which the instant falls, in the zone. */
  static int hourOfWeek(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    return (local.getDayOfWeek().getValue() - 1) * 24 + local.getHour();
  }

  /** What was counted for one hour of the week. */
  record Counts(int hourOfWeek, long sent, long read, long readQuickly, long replied) {}

  /** A ranked hour of the week. */
  record Slot(
      int hourOfWeek,
      String dayOfWeek,
      int hour,
      long sent,
      long read,
      long readQuickly,
      long replied,
      double readRate,
      double readQuicklyRate,
      double replyRate,
      double score) {

    static Slot of(Counts counts) {
      double sent = Math.max(1, counts.sent());
      double read = Math.min(1, counts.read() / sent);
      double quick = Math.min(1, counts.readQuickly() / sent);
      double replied = Math.min(1, counts.replied() / sent);
      DayOfWeek day = DayOfWeek.of(counts.hourOfWeek() / 24 + 1);
      return new Slot(
          counts.hourOfWeek(),
          day.name().toLowerCase(Locale.ROOT),
          counts.hourOfWeek() % 24,
          counts.sent(),
          counts.read(),
          counts.readQuickly(),
          counts.replied(),
          round(read),
          round(quick),
          round(replied),
          round((quick + 2 * replied) / 3));
    }
  }

  /**
   * The best slots with enough messages, best first (ties: more messages, then earlier in the
   * week).
   */
  static List<Slot> best(List<Counts> counts, int minSamples, int limit) {
    return counts.stream()
        .filter(c -> c.sent() >= minSamples && c.sent() > 0)
        .map(Slot::of)
        .sorted(
            Comparator.comparingDouble(Slot::score)
                .reversed()
                .thenComparing(Comparator.comparingLong(Slot::sent).reversed())
                .thenComparingInt(Slot::hourOfWeek))
        .limit(limit)
        .toList();
  }

  /** Messages counted in all slots. */
  static long sent(List<Counts> counts) {
    return counts.stream().mapToLong(Counts::sent).sum();
  }

  /**
   * Whose figure answers a question about one contact.
   *
   * @param basis {@code contact} or {@code tenant}
   * @param fallbackReason why the contact's own figure was not enough (null when it was)
   */
  record Advice(String basis, List<Slot> slots, String fallbackReason) {

    boolean fallback() {
      return fallbackReason != null;
    }
  }

  /**
   * The contact's own best slots when there is enough data about them (at least {@code
   * minContactMessages} sent to them and one hour with {@code minSamples}); the tenant's otherwise,
   * saying why.
   */
  static Advice advise(
      List<Counts> contact,
      List<Counts> tenant,
      int minContactMessages,
      int minSamples,
      int limit) {
    long sentToContact = sent(contact);
    if (sentToContact < minContactMessages) {
      return new Advice(
          "tenant",
          best(tenant, minSamples, limit),
          "only %d message(s) were sent to this contact; their own figure needs %d"
              .formatted(sentToContact, minContactMessages));
    }
    List<Slot> own = best(contact, minSamples, limit);
    if (own.isEmpty()) {
      return new Advice(
          "tenant",
          best(tenant, minSamples, limit),
          "no hour of the week has %d messages to this contact yet".formatted(minSamples));
    }
    return new Advice("contact", own, null);
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
