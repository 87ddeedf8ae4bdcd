package io.flowmate.analytics.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes a report as a WhatsApp message: {@code *bold*} headings, short lines, bullets, times in
 * the report's time zone and durations counted back from the moment the report describes.
 */
public final class ReportText {

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("EEE d MMM, HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

  private final StringBuilder out = new StringBuilder();
  private final ZoneId zone;
  private final Instant asOf;

  /**
   * @param zone the time zone times are shown in
   * @param asOf the moment the report describes: "waiting 2 d" counts back from here
   */
  ReportText(ZoneId zone, Instant asOf) {
    this.zone = zone;
    this.asOf = asOf;
  }

  ReportText line(String text) {
    if (!out.isEmpty()) {
      out.append('\n');
    }
    out.append(text);
    return this;
  }

  /** A heading after a blank line. */
  ReportText section(String heading) {
    if (!out.isEmpty()) {
      out.append('\n');
    }
    return line(bold(heading));
  }

  ReportText bullet(String text) {
    return line("• " + text);
  }

  /** A line marked ✅ or ❌. */
  ReportText check(boolean ok, String text) {
    return line((ok ? "✅ " : "❌ ") + text);
  }

  String text() {
    return out.toString();
  }

  static String bold(String text) {
    return "*" + text + "*";
  }

  String dateTime(Instant instant) {
    return DATE_TIME.format(instant.atZone(zone));
  }

  String day(Instant instant) {
    return DAY.format(instant.atZone(zone));
  }

  /** How long before the report's moment: "3 d 4 h", "5 h 10 min", "12 min". */
  String since(Instant instant) {
    return duration(Duration.between(instant, asOf));
  }

  static String duration(Duration duration) {
    if (duration.isNegative()) {
      return "0 min";
    }
    long days = duration.toDays();
    int hours = duration.toHoursPart();
    if (days > 0) {
      return hours == 0 ? days + " d" : days + " d " + hours + " h";
    }
    int minutes = duration.toMinutesPart();
    if (hours > 0) {
      return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
    }
    return Math.max(minutes, 0) + " min";
  }

  /** {@code part} as a whole percentage of {@code whole}; "–" when there is no whole. */
  static String percent(long part, long whole) {
    return whole == 0 ? "–" : Math.round(100.0 * part / whole) + "%";
  }

  static String number(long value) {
    return String.format(Locale.ENGLISH, "%,d", value);
  }

  /**
   * "Ana Lima · +4915100000001", or the number alone; a linked-id contact without a name stays
   * unnamed.
   */
  public static String contact(String name, String chatId) {
    String number =
        chatId == null
            ? null
            : chatId.endsWith("@c.us") ? "+" + chatId.substring(0, chatId.indexOf('@')) : null;
    if (name != null && !name.isBlank()) {
      return number == null ? name.strip() : name.strip() + " · " + number;
    }
    return number != null ? number : "a contact without a known number";
  }

  /** A phone number of E.164 digits as "+<digits>". */
  static String phone(String digits) {
    return digits == null ? null : "+" + digits;
  }
}
