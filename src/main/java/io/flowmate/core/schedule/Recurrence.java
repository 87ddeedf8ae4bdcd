package io.flowmate.core.schedule;

import io.flowmate.core.InvalidValueException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule fires, computed in its IANA time zone on {@link ZonedDateTime}, never in UTC: a
 * weekly 09:00 schedule in New York fires at 14:00Z in winter and 13:00Z in summer.
 *
 * <ul>
 *   <li>{@code one_time}: at {@code scheduled_time}.
 *   <li>{@code daily}, {@code weekly}, {@code monthly}: by {@code cron_expression} if given, else
 *       at the wall-clock time of {@code scheduled_time} every day, on its weekday, or on its day
 *       of the month; a month without that day (the 31st in April, the 29th–31st in February) fires
 *       on its last day.
 *   <li>{@code cron}: by {@code cron_expression}, five standard fields (minute hour day-of-month
 *       month day-of-week) or a macro such as {@code @daily}, evaluated in the zone.
 * </ul>
 *
 * <p>A recurring schedule with a {@code scheduled_time} does not fire before it. A wall-clock time
 * that a spring-forward day skips fires as much later as the gap (02:30 becomes 03:30); one that a
 * fall-back day repeats fires once, at its first instant.
 *
 * @param anchor {@code scheduled_time} as wall-clock time in {@code zone}, or null
 * @param cron the parsed cron expression (seconds field added), or null
 */
public record Recurrence(
    ScheduleType type, ZoneId zone, LocalDateTime anchor, String cronText, CronExpression cron) {

  /** How many occurrences {@link #shortestGap} looks at: enough to see every field combination. */
  private static final int GAP_SAMPLES = 1_000;

  private static final Set<String> CRON_MACROS =
      Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

  /**
   * Validates and builds the rule from what the API stores.
   *
   * @throws InvalidValueException with a sentence fit for a 422's {@code detail}
   */
  public static Recurrence of(
      ScheduleType type, ZoneId zone, LocalDateTime scheduledTime, String cronExpression) {
    String cronText =
        cronExpression == null || cronExpression.isBlank() ? null : cronExpression.strip();
    if (type == ScheduleType.ONE_TIME) {
      if (scheduledTime == null) {
        throw new InvalidValueException("scheduled_time is required for a one_time schedule");
      }
      if (cronText != null) {
        throw new InvalidValueException(
            "cron_expression is only for recurring schedules, not one_time");
      }
      return new Recurrence(type, zone, scheduledTime, null, null);
    }
    if (cronText == null && (type == ScheduleType.CRON || scheduledTime == null)) {
      throw new InvalidValueException(
          type == ScheduleType.CRON
              ? "cron_expression is required for a cron schedule, e.g. \"0 9 * * 1\" (Mondays at 09:00)"
              : ("a %s schedule needs cron_expression (5 fields, e.g. \"0 9 * * *\") or scheduled_time"
                      + " (its local time%s is used)")
                  .formatted(
                      type.value(),
                      switch (type) {
                        case WEEKLY -> " and weekday";
                        case MONTHLY -> " and day of the month";
                        default -> "";
                      }));
    }
    return new Recurrence(
        type, zone, scheduledTime, cronText, cronText == null ? null : parseCron(cronText));
  }

  /**
   * The zone a client named: IANA ids only ({@code Europe/Berlin}, {@code UTC}); empty means UTC.
   *
   * @throws InvalidValueException for anything else (offsets, abbreviations, typos)
   */
  public static ZoneId zone(String timezone) {
    if (timezone == null || timezone.isBlank()) {
      return ZoneId.of("UTC");
    }
    String id = timezone.strip();
    if (!ZoneId.getAvailableZoneIds().contains(id)) {
      throw new InvalidValueException(
          "timezone '%s' is not an IANA time zone; use a name such as Europe/Berlin, America/New_York or UTC"
              .formatted(timezone));
    }
    return ZoneId.of(id);
  }

  /**
   * {@code scheduled_time} as wall-clock time in {@code zone}: an ISO 8601 date-time with an offset
   * ({@code 2026-03-02T14:00:00Z}) is converted to the zone; one without is taken as is. Null or
   * blank is null.
   *
   * @throws InvalidValueException for anything else
   */
  public static LocalDateTime wallClock(String raw, ZoneId zone) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String text = raw.strip();
    try {
      return OffsetDateTime.parse(text)
          .atZoneSameInstant(zone)
          .toLocalDateTime()
          .truncatedTo(ChronoUnit.SECONDS);
    } catch (DateTimeParseException withoutOffset) {
      try {
        return LocalDateTime.parse(text).truncatedTo(ChronoUnit.SECONDS);
      } catch (DateTimeParseException e) {
        throw new InvalidValueException(
            ("scheduled_time '%s' is not an ISO 8601 date-time; use 2026-03-02T09:00:00 (wall-clock time in"
                    + " timezone) or 2026-03-02T14:00:00Z")
                .formatted(raw));
      }
    }
  }

  /**
   * The first occurrence after {@code now}, for a schedule being created or changed.
   *
   * @throws InvalidValueException if there is none (a past one-time, a cron that never fires)
   */
  public Instant firstAfter(Instant now) {
    return next(now)
        .orElseThrow(() ->
            new InvalidValueException(
                type == ScheduleType.ONE_TIME
                    ? "scheduled_time %s (%s) is in the past".formatted(anchor, zone.getId())
                    : "cron_expression '%s' never fires".formatted(cronText)));
  }

  /**
   * The first occurrence strictly after {@code after} (and not before the anchor); empty if none.
   */
  public Optional<Instant> next(Instant after) {
    if (type == ScheduleType.ONE_TIME) {
      Instant at = anchor.atZone(zone).toInstant();
      return at.isAfter(after) ? Optional.of(at) : Optional.empty();
    }
    Instant from = after;
    if (anchor != null) {
      Instant notBefore = anchor.atZone(zone).toInstant().minusNanos(1);
      if (notBefore.isAfter(from)) {
        from = notBefore;
      }
    }
    if (cron != null) {
      return Optional.ofNullable(cron.next(from.atZone(zone))).map(ZonedDateTime::toInstant);
    }
    LocalTime time = anchor.toLocalTime();
    LocalDate day = from.atZone(zone).toLocalDate();
    // Two candidates are always enough: the one on from's day (or week, month), else the next.
    for (int step = 0; step < 2; step++) {
      LocalDate date =
          switch (type) {
            case DAILY -> day.plusDays(step);
            case WEEKLY ->
                day.with(TemporalAdjusters.nextOrSame(anchor.getDayOfWeek())).plusWeeks(step);
            case MONTHLY ->
                dayOfMonth(YearMonth.from(day).plusMonths(step), anchor.getDayOfMonth());
            default -> throw new IllegalStateException("not a derived recurrence: " + type);
          };
      Instant candidate = ZonedDateTime.of(date, time, zone).toInstant();
      if (candidate.isAfter(from)) {
        return Optional.of(candidate);
      }
    }
    throw new IllegalStateException("no %s occurrence after %s".formatted(type.value(), from));
  }

  /**
   * What a schedule that was due at {@code due} does at {@code now}: the occurrences to record as
   * missed (older than {@code grace}, and every one but the latest within it) and the one to run
   * next (null when a finite schedule has none left). After a long downtime of a frequent schedule
   * at most {@code maxMissed} are listed before it jumps to the grace period.
   */
  public CatchUp catchUp(Instant due, Instant now, Duration grace, int maxMissed) {
    Instant cutoff = now.minus(grace);
    List<Instant> missed = new ArrayList<>();
    Instant next = due;
    while (next != null && next.isBefore(cutoff)) {
      missed.add(next);
      next =
          missed.size() < maxMissed
              ? next(next).orElse(null)
              : next(cutoff.minusNanos(1)).orElse(null);
    }
    if (next != null && !next.isAfter(now)) {
      Optional<Instant> following = next(next);
      while (following.isPresent() && !following.get().isAfter(now)) {
        missed.add(next);
        next = following.get();
        following = next(next);
      }
    }
    return new CatchUp(List.copyOf(missed), next);
  }

  /** See {@link #catchUp}. */
  public record CatchUp(List<Instant> missed, Instant next) {}

  /**
   * The shortest time between two consecutive occurrences from {@code from} on, over the next
   * thousand occurrences: a cron expression that fires too often shows it within its first days.
   * Empty for a one-time schedule.
   */
  public Optional<Duration> shortestGap(Instant from) {
    if (type == ScheduleType.ONE_TIME) {
      return Optional.empty();
    }
    Duration shortest = null;
    Optional<Instant> previous = next(from);
    for (int i = 0; i < GAP_SAMPLES && previous.isPresent(); i++) {
      Optional<Instant> following = next(previous.get());
      if (following.isPresent()) {
        Duration gap = Duration.between(previous.get(), following.get());
        shortest = shortest == null || gap.compareTo(shortest) < 0 ? gap : shortest;
      }
      previous = following;
    }
    return Optional.ofNullable(shortest);
  }

  /**
   * Refuses a schedule that would fire more often than {@code minimum} (MoltFlow's 5 minutes):
   * frequent automated messages get a number banned.
   *
   * @throws InvalidValueException naming the shortest gap found
   */
  public void requireInterval(Duration minimum, Instant from) {
    shortestGap(from)
        .filter(gap -> gap.compareTo(minimum) < 0)
        .ifPresent(gap -> {
          throw new InvalidValueException(
              "cron_expression '%s' fires %s apart at times; the minimum interval between runs is %s"
                  .formatted(cronText, describe(gap), describe(minimum)));
        });
  }

  private static String describe(Duration duration) {
    if (duration.toSecondsPart() == 0 && duration.toMinutes() > 0) {
      return duration.toMinutes() == 1 ? "1 minute" : duration.toMinutes() + " minutes";
    }
    return duration.toSeconds() + " seconds";
  }

  /** The day in that month: the wanted day, or the month's last day if it is shorter. */
  private static LocalDate dayOfMonth(YearMonth month, int wanted) {
    return month.atDay(Math.min(wanted, month.lengthOfMonth()));
  }

  private static CronExpression parseCron(String text) {
    boolean macro = CRON_MACROS.contains(text.toLowerCase());
    String[] fields = text.split("\\s+");
    if (!macro && fields.length != 5) {
      throw new InvalidValueException(
          ("cron_expression '%s' has %d fields; use the 5 standard ones: minute hour day-of-month month"
                  + " day-of-week, e.g. \"30 8 * * 1-5\" (weekdays at 08:30)")
              .formatted(text, fields.length));
    }
    try {
      return CronExpression.parse(macro ? text.toLowerCase() : "0 " + String.join(" ", fields));
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException(
          "cron_expression '%s' is not a valid cron expression (minute hour day-of-month month day-of-week): %s"
              .formatted(text, e.getMessage()));
    }
  }
}
