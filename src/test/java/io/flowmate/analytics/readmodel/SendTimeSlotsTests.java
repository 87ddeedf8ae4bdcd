package io.flowmate.analytics.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendTimeSlotsTests {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void hoursOfTheWeekStartOnMondayMidnightLocalTime() {
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-01-06T00:30:00Z"), ZoneOffset.UTC))
        .isZero();
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-01-12T23:59:59Z"), ZoneOffset.UTC))
        .isEqualTo(167);
    // Berlin is an hour ahead in winter: Monday 01:30.
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-01-06T00:30:00Z"), BERLIN))
        .isEqualTo(1);
    // ...and New York is behind: Sunday 19:30.
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-01-06T00:30:00Z"), NEW_YORK))
        .isEqualTo(6 * 24 + 19);
  }

  @Test
  void theSameLocalHourIsTheSameSlotOnBothSidesOfTheSpringDaylightSavingChange() {
    // Berlin moves from CET (+1) to CEST (+2) on Sunday 2025-03-30 at 02:00 local.
    Instant tuesdayBefore = Instant.parse("2025-03-25T08:15:00Z"); // 09:15 CET
    Instant tuesdayAfter = Instant.parse("2025-04-01T07:15:00Z"); // 09:15 CEST
    int tuesdayNine = 24 + 9;

    assertThat(SendTimeSlots.hourOfWeek(tuesdayBefore, BERLIN)).isEqualTo(tuesdayNine);
    assertThat(SendTimeSlots.hourOfWeek(tuesdayAfter, BERLIN)).isEqualTo(tuesdayNine);
    // The same UTC time of day lands one local hour later once summer time began.
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-04-01T08:15:00Z"), BERLIN))
        .isEqualTo(tuesdayNine + 1);
  }

  @Test
  void theDstSundayItselfSkipsOneHourInSpringAndRepeatsOneInAutumn() {
    int sunday = 6 * 24;
    // 2025-03-30: 00:30Z is 01:30 CET, 01:30Z is already 03:30 CEST (02:00-03:00 does not exist).
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-03-30T00:30:00Z"), BERLIN))
        .isEqualTo(sunday + 1);
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-03-30T01:30:00Z"), BERLIN))
        .isEqualTo(sunday + 3);
    // 2025-10-26: 02:00-03:00 happens twice (00:30Z in CEST, 01:30Z in CET): both are the 02:00
    // slot.
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-10-26T00:30:00Z"), BERLIN))
        .isEqualTo(sunday + 2);
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-10-26T01:30:00Z"), BERLIN))
        .isEqualTo(sunday + 2);
    assertThat(SendTimeSlots.hourOfWeek(Instant.parse("2025-10-26T02:30:00Z"), BERLIN))
        .isEqualTo(sunday + 3);
  }

  @Test
  void slotsAreRankedByQuickReadsAndRepliesWithRepliesCountingDouble() {
    List<SendTimeSlots.Counts> counts =
        List.of(
            // all read quickly, nobody replies: (1 + 0) / 3
            new SendTimeSlots.Counts(10, 10, 10, 10, 0),
            // half read quickly, half reply: (0.5 + 1) / 3
            new SendTimeSlots.Counts(34, 10, 6, 5, 5),
            // too few messages to rank, however good
            new SendTimeSlots.Counts(50, 4, 4, 4, 4),
            // read late, never replied
            new SendTimeSlots.Counts(100, 20, 20, 0, 0));

    List<SendTimeSlots.Slot> best = SendTimeSlots.best(counts, 5, 10);

    assertThat(best).extracting(SendTimeSlots.Slot::hourOfWeek).containsExactly(34, 10, 100);
    SendTimeSlots.Slot top = best.getFirst();
    assertThat(top.score()).isEqualTo(0.5);
    assertThat(top.dayOfWeek()).isEqualTo("tuesday");
    assertThat(top.hour()).isEqualTo(10);
    assertThat(top.readRate()).isEqualTo(0.6);
    assertThat(top.replyRate()).isEqualTo(0.5);
    assertThat(best.get(1).score()).isEqualTo(0.3333);
    assertThat(best.get(2).score()).isZero();
    assertThat(SendTimeSlots.best(counts, 5, 1)).hasSize(1);
  }

  @Test
  void equalScoresPreferTheSlotWithMoreMessagesThenTheEarlierOne() {
    List<SendTimeSlots.Counts> counts =
        List.of(
            new SendTimeSlots.Counts(40, 10, 10, 5, 0),
            new SendTimeSlots.Counts(20, 20, 20, 10, 0),
            new SendTimeSlots.Counts(30, 10, 10, 5, 0));

    assertThat(SendTimeSlots.best(counts, 5, 3))
        .extracting(SendTimeSlots.Slot::hourOfWeek)
        .containsExactly(20, 30, 40);
  }

  @Test
  void aContactWithEnoughMessagesGetsTheirOwnSlots() {
    List<SendTimeSlots.Counts> contact =
        List.of(
            new SendTimeSlots.Counts(70, 15, 15, 15, 3), new SendTimeSlots.Counts(80, 5, 1, 0, 0));
    List<SendTimeSlots.Counts> tenant = List.of(new SendTimeSlots.Counts(10, 500, 400, 300, 50));

    SendTimeSlots.Advice advice = SendTimeSlots.advise(contact, tenant, 20, 5, 5);

    assertThat(advice.basis()).isEqualTo("contact");
    assertThat(advice.fallback()).isFalse();
    assertThat(advice.slots()).extracting(SendTimeSlots.Slot::hourOfWeek).containsExactly(70, 80);
  }

  @Test
  void aContactWithFewMessagesFallsBackToTheTenantSayingWhy() {
    List<SendTimeSlots.Counts> contact = List.of(new SendTimeSlots.Counts(70, 19, 19, 19, 19));
    List<SendTimeSlots.Counts> tenant = List.of(new SendTimeSlots.Counts(10, 500, 400, 300, 50));

    SendTimeSlots.Advice advice = SendTimeSlots.advise(contact, tenant, 20, 5, 5);

    assertThat(advice.basis()).isEqualTo("tenant");
    assertThat(advice.fallback()).isTrue();
    assertThat(advice.fallbackReason()).contains("only 19 message(s)").contains("needs 20");
    assertThat(advice.slots()).extracting(SendTimeSlots.Slot::hourOfWeek).containsExactly(10);
  }

  @Test
  void aContactWhoseMessagesAreSpreadThinFallsBackToo() {
    List<SendTimeSlots.Counts> contact =
        List.of(
            new SendTimeSlots.Counts(1, 4, 4, 4, 4),
            new SendTimeSlots.Counts(2, 4, 4, 4, 4),
            new SendTimeSlots.Counts(3, 4, 4, 4, 4),
            new SendTimeSlots.Counts(4, 4, 4, 4, 4),
            new SendTimeSlots.Counts(5, 4, 4, 4, 4));

    SendTimeSlots.Advice advice = SendTimeSlots.advise(contact, List.of(), 20, 5, 5);

    assertThat(advice.fallback()).isTrue();
    assertThat(advice.fallbackReason()).contains("no hour of the week has 5 messages");
    assertThat(advice.slots()).isEmpty();
  }
}
