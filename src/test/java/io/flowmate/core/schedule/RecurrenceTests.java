package io.flowmate.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.core.InvalidValueException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Occurrences in a time zone: DST, month ends, cron, anchors, the 5-minute minimum, validation. */
class RecurrenceTests {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void weeklyAtNineInNewYorkStaysAtNineAcrossDaylightSavingTime() {
    // Monday 2026-02-23 09:00; US clocks spring forward on Sunday 2026-03-08.
    Recurrence weekly =
        Recurrence.of(ScheduleType.WEEKLY, NEW_YORK, LocalDateTime.parse("2026-02-23T09:00"), null);

    assertThat(occurrences(weekly, Instant.parse("2026-02-24T00:00:00Z"), 3))
        .containsExactly(
            Instant.parse("2026-03-02T14:00:00Z"),
            Instant.parse("2026-03-09T13:00:00Z"),
            Instant.parse("2026-03-16T13:00:00Z"));
    // ... and back on Sunday 2026-11-01.
    assertThat(occurrences(weekly, Instant.parse("2026-10-20T00:00:00Z"), 2))
        .containsExactly(
            Instant.parse("2026-10-26T13:00:00Z"), Instant.parse("2026-11-02T14:00:00Z"));
  }

  @Test
  void monthlyOnThe31stFiresOnTheLastDayOfShorterMonths() {
    Recurrence monthly =
        Recurrence.of(ScheduleType.MONTHLY, UTC, LocalDateTime.parse("2026-01-31T10:00"), null);

    assertThat(occurrences(monthly, Instant.parse("2026-01-01T00:00:00Z"), 5))
        .containsExactly(
            Instant.parse("2026-01-31T10:00:00Z"),
            Instant.parse("2026-02-28T10:00:00Z"),
            Instant.parse("2026-03-31T10:00:00Z"),
            Instant.parse("2026-04-30T10:00:00Z"),
            Instant.parse("2026-05-31T10:00:00Z"));
    assertThat(monthly.next(Instant.parse("2028-02-01T00:00:00Z")))
        .contains(Instant.parse("2028-02-29T10:00:00Z"));
  }

  @Test
  void monthlyOnThe28thIsTheSameDayEveryMonth() {
    Recurrence monthly =
        Recurrence.of(
            ScheduleType.MONTHLY,
            ZoneId.of("Europe/Lisbon"),
            LocalDateTime.parse("2026-01-28T10:00"),
            null);

    assertThat(occurrences(monthly, Instant.parse("2026-01-29T00:00:00Z"), 4))
        .containsExactly(
            Instant.parse("2026-02-28T10:00:00Z"),
            Instant.parse("2026-03-28T10:00:00Z"),
            Instant.parse("2026-04-28T09:00:00Z"), // Lisbon is on summer time (UTC+1) from 29 March
            Instant.parse("2026-05-28T09:00:00Z"));
  }

  @Test
  void dailyFollowsTheWallClockAndATimeSkippedBySpringForwardFiresAfterTheGap() {
    Recurrence eight =
        Recurrence.of(ScheduleType.DAILY, BERLIN, LocalDateTime.parse("2026-03-27T08:00"), null);
    assertThat(occurrences(eight, Instant.parse("2026-03-27T12:00:00Z"), 3))
        .containsExactly(
            Instant.parse("2026-03-28T07:00:00Z"),
            Instant.parse("2026-03-29T06:00:00Z"),
            Instant.parse("2026-03-30T06:00:00Z"));

    // 02:30 does not exist in Berlin on 2026-03-29 (02:00 → 03:00): it fires at 03:30 local.
    Recurrence halfPastTwo =
        Recurrence.of(ScheduleType.DAILY, BERLIN, LocalDateTime.parse("2026-03-27T02:30"), null);
    assertThat(halfPastTwo.next(Instant.parse("2026-03-28T12:00:00Z")))
        .contains(Instant.parse("2026-03-29T01:30:00Z"));
  }

  @Test
  void cronIsEvaluatedInTheScheduleZone() {
    Recurrence weekdays =
        Recurrence.of(ScheduleType.CRON, ZoneId.of("Asia/Tokyo"), null, "0 9 * * 1-5");
    // Friday 2026-03-06 09:00 in Tokyo is 00:00Z; the next is Monday.
    assertThat(occurrences(weekdays, Instant.parse("2026-03-05T12:00:00Z"), 2))
        .containsExactly(
            Instant.parse("2026-03-06T00:00:00Z"), Instant.parse("2026-03-09T00:00:00Z"));

    Recurrence morning = Recurrence.of(ScheduleType.DAILY, NEW_YORK, null, "30 8 * * *");
    assertThat(occurrences(morning, Instant.parse("2026-03-07T00:00:00Z"), 3))
        .containsExactly(
            Instant.parse("2026-03-07T13:30:00Z"),
            Instant.parse("2026-03-08T12:30:00Z"),
            Instant.parse("2026-03-09T12:30:00Z"));

    Recurrence macro = Recurrence.of(ScheduleType.CRON, UTC, null, "@daily");
    assertThat(macro.next(Instant.parse("2026-03-07T10:00:00Z")))
        .contains(Instant.parse("2026-03-08T00:00:00Z"));
  }

  @Test
  void aRecurringScheduleDoesNotFireBeforeItsScheduledTime() {
    Recurrence fromApril =
        Recurrence.of(ScheduleType.DAILY, UTC, LocalDateTime.parse("2026-04-01T07:15"), null);
    assertThat(fromApril.next(Instant.parse("2026-03-01T00:00:00Z")))
        .contains(Instant.parse("2026-04-01T07:15:00Z"));

    Recurrence cronFromApril =
        Recurrence.of(
            ScheduleType.CRON, UTC, LocalDateTime.parse("2026-04-01T00:00"), "0 12 * * *");
    assertThat(cronFromApril.next(Instant.parse("2026-03-01T00:00:00Z")))
        .contains(Instant.parse("2026-04-01T12:00:00Z"));
  }

  @Test
  void oneTimeFiresOnceAtItsTimeInItsZone() {
    Recurrence once =
        Recurrence.of(ScheduleType.ONE_TIME, BERLIN, LocalDateTime.parse("2026-07-01T18:00"), null);

    assertThat(once.next(Instant.parse("2026-06-01T00:00:00Z")))
        .contains(Instant.parse("2026-07-01T16:00:00Z"));
    assertThat(once.next(Instant.parse("2026-07-01T16:00:00Z"))).isEmpty();
  }

  @Test
  void cronThatFiresMoreOftenThanEveryFiveMinutesIsRefused() {
    Duration minimum = Duration.ofMinutes(5);
    Instant now = Instant.parse("2026-03-01T00:00:00Z");

    assertThatThrownBy(() ->
            Recurrence.of(ScheduleType.CRON, UTC, null, "*/2 * * * *")
                .requireInterval(minimum, now))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("2 minutes apart")
        .hasMessageContaining("minimum interval between runs is 5 minutes");
    // Two runs close together once a day, and across midnight (23:58 → 00:00).
    assertThatThrownBy(() ->
            Recurrence.of(ScheduleType.CRON, UTC, null, "0,3 9 * * *")
                .requireInterval(minimum, now))
        .hasMessageContaining("3 minutes apart");
    assertThatThrownBy(() ->
            Recurrence.of(ScheduleType.CRON, UTC, null, "0,58 0,23 * * *")
                .requireInterval(minimum, now))
        .hasMessageContaining("2 minutes apart");

    assertThatCode(() ->
            Recurrence.of(ScheduleType.CRON, NEW_YORK, null, "*/5 * * * *")
                .requireInterval(minimum, now))
        .doesNotThrowAnyException();
    assertThatCode(() ->
            Recurrence.of(
                    ScheduleType.WEEKLY, NEW_YORK, LocalDateTime.parse("2026-02-23T09:00"), null)
                .requireInterval(minimum, now))
        .doesNotThrowAnyException();
    assertThat(Recurrence.of(ScheduleType.CRON, UTC, null, "*/5 * * * *").shortestGap(now))
        .contains(minimum);
  }

  @Test
  void invalidDefinitionsAreRefusedWithAReason() {
    assertThatThrownBy(() -> Recurrence.of(ScheduleType.CRON, UTC, null, "0 0 9 * * *"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("has 6 fields; use the 5 standard ones");
    assertThatThrownBy(() -> Recurrence.of(ScheduleType.CRON, UTC, null, "61 * * * *"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("is not a valid cron expression");
    assertThatThrownBy(() -> Recurrence.of(ScheduleType.CRON, UTC, null, null))
        .hasMessageContaining("cron_expression is required for a cron schedule");
    assertThatThrownBy(() -> Recurrence.of(ScheduleType.WEEKLY, UTC, null, " "))
        .hasMessageContaining("a weekly schedule needs cron_expression")
        .hasMessageContaining("weekday");
    assertThatThrownBy(() -> Recurrence.of(ScheduleType.ONE_TIME, UTC, null, null))
        .hasMessageContaining("scheduled_time is required for a one_time schedule");
    assertThatThrownBy(() ->
            Recurrence.of(
                ScheduleType.ONE_TIME, UTC, LocalDateTime.parse("2026-07-01T18:00"), "0 9 * * *"))
        .hasMessageContaining("only for recurring schedules");
    // Valid syntax, but 31 February never comes.
    assertThat(
            Recurrence.of(ScheduleType.CRON, UTC, null, "0 9 31 2 *")
                .next(Instant.parse("2026-01-01T00:00:00Z")))
        .isEmpty();
  }

  @Test
  void onlyIanaTimeZonesAreAccepted() {
    assertThat(Recurrence.zone(null)).isEqualTo(UTC);
    assertThat(Recurrence.zone("UTC")).isEqualTo(UTC);
    assertThat(Recurrence.zone("America/Sao_Paulo")).isEqualTo(ZoneId.of("America/Sao_Paulo"));
    for (String bad : List.of("Mars/Olympus_Mons", "+02:00", "CEST", "europe/berlin")) {
      assertThatThrownBy(() -> Recurrence.zone(bad))
          .as(bad)
          .isInstanceOf(InvalidValueException.class)
          .hasMessageContaining("is not an IANA time zone");
    }
  }

  private static List<Instant> occurrences(Recurrence recurrence, Instant after, int count) {
    List<Instant> found = new ArrayList<>();
    Instant cursor = after;
    for (int i = 0; i < count; i++) {
      Optional<Instant> next = recurrence.next(cursor);
      if (next.isEmpty()) {
        break;
      }
      found.add(next.get());
      cursor = next.get();
    }
    return found;
  }
}
