package io.flowmate.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.messaging.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The send governor's timing rules as properties: whatever the schedule of attempts, a number never
 * exceeds its per-minute rate in any 60-second window, nor its hourly and daily caps, and its sends
 * never come at a constant rhythm.
 */
class SendPacerTests {

  private static final UUID SESSION = UUID.randomUUID();
  private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

  /** The slots as the database keeps them: one per number, whichever pacer drew it. */
  static final class MemorySlots implements SendPacer.Slots {
    private final Map<UUID, Instant> slots = new HashMap<>();

    @Override
    public Instant next(UUID sessionId) {
      return slots.get(sessionId);
    }

    @Override
    public void set(UUID sessionId, Instant slot) {
      slots.put(sessionId, slot);
    }
  }

  /** Tries to send at random moments for a simulated day; returns the instants it was allowed. */
  private static List<Instant> simulate(long seed, SendPacer.Limits limits, Duration length) {
    return simulate(seed, limits, length, null);
  }

  private static List<Instant> simulate(
      long seed, SendPacer.Limits limits, Duration length, Outbox.SendGap campaignGap) {
    Random random = new Random(seed);
    List<Instant> sends = new ArrayList<>();
    SendPacer pacer =
        new SendPacer(
            (session, since) -> sends.stream().filter(s -> !s.isBefore(since)).toList(),
            new MemorySlots(),
            0.5,
            new Random(seed + 1));
    Instant now = START;
    Instant end = START.plus(length);
    while (now.isBefore(end)) {
      SendPacer.Verdict verdict = pacer.decide(SESSION, limits, now);
      if (verdict.allowsNow()) {
        sends.add(now);
        pacer.sent(SESSION, limits, now, campaignGap);
        now = now.plusMillis(random.nextInt(2_000));
      } else {
        // Callers come back at the time the pacer named, or earlier and get told again.
        now =
            random.nextBoolean() ? verdict.notBefore() : now.plusMillis(1 + random.nextInt(5_000));
      }
    }
    return sends;
  }

  private static int maxInAnyWindow(List<Instant> sends, Duration window) {
    int max = 0;
    for (int i = 0; i < sends.size(); i++) {
      Instant windowEnd = sends.get(i).plus(window);
      int count = 0;
      for (int j = i; j < sends.size() && sends.get(j).isBefore(windowEnd); j++) {
        count++;
      }
      max = Math.max(max, count);
    }
    return max;
  }

  @ParameterizedTest(name = "{0} messages per minute")
  @ValueSource(ints = {10, 20, 40, 60})
  void neverExceedsThePlanRateInAnySixtySecondWindow(int perMinute) {
    for (long seed = 0; seed < 20; seed++) {
      List<Instant> sends =
          simulate(
              seed,
              new SendPacer.Limits(perMinute, 10_000, 100_000, ZoneId.of("UTC"), null, null),
              Duration.ofMinutes(30));

      assertThat(maxInAnyWindow(sends, Duration.ofMinutes(1)))
          .as("seed %d", seed)
          .isLessThanOrEqualTo(perMinute);
      assertThat(sends.size())
          .as("it still sends at about the rate")
          .isGreaterThan(perMinute * 30 / 2);
    }
  }

  @RepeatedTest(5)
  void hourlyAndDailyCapsHold() {
    List<Instant> sends =
        simulate(
            System.nanoTime(),
            new SendPacer.Limits(60, 30, 100, ZoneId.of("UTC"), null, null),
            Duration.ofHours(30));

    assertThat(maxInAnyWindow(sends, Duration.ofHours(1))).isLessThanOrEqualTo(30);
    assertThat(maxInAnyWindow(sends, Duration.ofDays(1))).isLessThanOrEqualTo(100);
  }

  @Test
  void gapsBetweenSendsAreRandomisedAroundTheMeanGap() {
    List<Instant> sends =
        simulate(
            7,
            new SendPacer.Limits(20, 10_000, 100_000, ZoneId.of("UTC"), null, null),
            Duration.ofHours(1));

    var gaps = new HashSet<Long>();
    for (int i = 1; i < sends.size(); i++) {
      gaps.add(Duration.between(sends.get(i - 1), sends.get(i)).toMillis());
    }
    assertThat(gaps).hasSizeGreaterThan(sends.size() / 2);
    assertThat(gaps).allMatch(gap -> gap >= 1_500, "no gap below half the 3 s mean");
  }

  /**
   * Two Flowmate instances pace one number: each has its own pacer, and they share what the
   * database shares (the number's sends and its next slot). Their sends together keep the gap one
   * pacer would keep; a pacer that remembered its slot in memory would send right after the other.
   */
  @Test
  void twoInstancesPacingOneNumberKeepTheGapOfOne() {
    SendPacer.Limits limits =
        new SendPacer.Limits(20, 10_000, 100_000, ZoneId.of("UTC"), null, null);
    List<Instant> sends = new ArrayList<>();
    SendPacer.History history =
        (session, since) -> sends.stream().filter(s -> !s.isBefore(since)).toList();
    MemorySlots database = new MemorySlots();
    List<SendPacer> instances =
        List.of(
            new SendPacer(history, database, 0.5, new Random(1)),
            new SendPacer(history, database, 0.5, new Random(2)));
    Random random = new Random(3);
    Instant now = START;
    while (now.isBefore(START.plus(Duration.ofHours(1)))) {
      SendPacer instance = instances.get(random.nextInt(2));
      if (instance.decide(SESSION, limits, now).allowsNow()) {
        sends.add(now);
        instance.sent(SESSION, limits, now, null);
      }
      now = now.plusMillis(1 + random.nextInt(400));
    }

    assertThat(sends.size()).as("about 20 a minute").isBetween(20 * 60 / 2, 20 * 60);
    for (int i = 1; i < sends.size(); i++) {
      assertThat(Duration.between(sends.get(i - 1), sends.get(i)).toMillis())
          .as("no gap below half the 3 s mean")
          .isGreaterThanOrEqualTo(1_500);
    }
  }

  @Test
  void aCampaignsDelayRangeSpacesSendsBeyondTheGovernorsGap() {
    Outbox.SendGap thirtySecondsToTwoMinutes =
        new Outbox.SendGap(Duration.ofSeconds(30), Duration.ofMinutes(2));
    List<Instant> sends =
        simulate(
            11,
            new SendPacer.Limits(60, 10_000, 100_000, ZoneId.of("UTC"), null, null),
            Duration.ofHours(2),
            thirtySecondsToTwoMinutes);

    List<Long> gaps = new java.util.ArrayList<>();
    for (int i = 1; i < sends.size(); i++) {
      gaps.add(Duration.between(sends.get(i - 1), sends.get(i)).toSeconds());
    }
    assertThat(gaps).allMatch(gap -> gap >= 30, "never closer than the range's minimum");
    assertThat(gaps).anyMatch(gap -> gap < 60).anyMatch(gap -> gap >= 100);
    assertThat(sends.size()).as("about one per 75 s on average").isBetween(70, 130);
  }

  @Test
  void quietHoursHoldSendsUntilTheyEndInTheTenantsTimeZone() {
    SendPacer.Limits limits =
        new SendPacer.Limits(
            60, 100, 500, ZoneId.of("Europe/Berlin"), LocalTime.of(21, 0), LocalTime.of(8, 0));
    SendPacer pacer =
        new SendPacer(
            (s, since) -> List.of(),
            new MemorySlots(),
            0.5,
            java.util.random.RandomGenerator.getDefault());

    // 22:30 in Berlin (UTC+1 in November): quiet until 08:00 Berlin = 07:00 UTC.
    SendPacer.Verdict night = pacer.decide(SESSION, limits, Instant.parse("2026-11-24T21:30:00Z"));
    SendPacer.Verdict morning =
        pacer.decide(UUID.randomUUID(), limits, Instant.parse("2026-11-25T07:30:00Z"));

    assertThat(night.notBefore()).isEqualTo(Instant.parse("2026-11-25T07:00:00Z"));
    assertThat(night.reason()).contains("quiet hours");
    assertThat(morning.allowsNow()).isTrue();
  }

  @Test
  void quietHoursWithinOneDayWork() {
    SendPacer.Limits lunch =
        new SendPacer.Limits(
            60, 100, 500, ZoneId.of("UTC"), LocalTime.of(12, 0), LocalTime.of(13, 0));

    assertThat(SendPacer.quietHoursEnd(lunch, Instant.parse("2026-11-24T12:30:00Z")))
        .isEqualTo(Instant.parse("2026-11-24T13:00:00Z"));
    assertThat(SendPacer.quietHoursEnd(lunch, Instant.parse("2026-11-24T13:00:00Z"))).isNull();
    assertThat(SendPacer.quietHoursEnd(lunch, Instant.parse("2026-11-24T11:59:59Z"))).isNull();
  }
}
