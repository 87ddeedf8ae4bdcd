package io.flowmate.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When the embedded engine is due for a recycle: nightly window, heap share, minimum interval. */
class RecyclePolicyTests {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final long MB = 1024 * 1024;

  private static RecyclePolicy policy(LocalTime nightlyAt, double heapShare) {
    return new RecyclePolicy(
        new EngineSettings.Recycle(
            true,
            heapShare,
            nightlyAt,
            BERLIN,
            Duration.ofHours(1),
            Duration.ofMinutes(1),
            Duration.ofSeconds(30)));
  }

  @Test
  void nightlyRecycleFallsInTheHourAfterTheTimeInTheZone() {
    RecyclePolicy policy = policy(LocalTime.of(3, 30), 0.5);
    Instant previous = Instant.parse("2026-12-07T10:00:00Z");

    // 03:30 in Berlin is 02:30 UTC in winter.
    assertThat(policy.nightly(Instant.parse("2026-12-08T02:29:00Z"), previous)).isEmpty();
    assertThat(policy.nightly(Instant.parse("2026-12-08T02:30:00Z"), previous))
        .contains("nightly at 03:30 Europe/Berlin");
    assertThat(policy.nightly(Instant.parse("2026-12-08T03:29:00Z"), previous)).isPresent();
    assertThat(policy.nightly(Instant.parse("2026-12-08T03:31:00Z"), previous)).isEmpty();
  }

  @Test
  void nightlyRecycleHappensOncePerNightAndNotRightAfterAnother() {
    RecyclePolicy policy = policy(LocalTime.of(3, 30), 0.5);

    assertThat(
            policy.nightly(
                Instant.parse("2026-12-08T02:50:00Z"), Instant.parse("2026-12-08T02:31:00Z")))
        .as("recycled tonight already")
        .isEmpty();
    assertThat(
            policy.nightly(
                Instant.parse("2026-12-08T02:50:00Z"), Instant.parse("2026-12-08T02:20:00Z")))
        .as("a heap recycle 30 minutes ago: the minimum interval holds")
        .isEmpty();
    assertThat(
            policy.nightly(
                Instant.parse("2026-12-09T02:40:00Z"), Instant.parse("2026-12-08T02:31:00Z")))
        .as("the next night")
        .isPresent();
  }

  @Test
  void nightlyTimeFollowsTheZonesClockChange() {
    RecyclePolicy policy = policy(LocalTime.of(3, 30), 0.5);
    Instant previous = Instant.parse("2026-07-01T10:00:00Z");

    // 03:30 in Berlin is 01:30 UTC in summer.
    assertThat(policy.nightly(Instant.parse("2026-07-02T01:35:00Z"), previous)).isPresent();
    assertThat(policy.nightly(Instant.parse("2026-07-02T02:35:00Z"), previous)).isEmpty();
  }

  @Test
  void withoutANightlyTimeOnlyTheHeapCounts() {
    RecyclePolicy policy = policy(null, 0.5);

    assertThat(
            policy.nightly(
                Instant.parse("2026-12-08T02:30:00Z"), Instant.parse("2026-12-01T00:00:00Z")))
        .isEmpty();
    assertThat(policy.heap(512 * MB, 1024 * MB)).isEmpty();
    assertThat(policy.heap(513 * MB, 1024 * MB))
        .contains("heap 513 MB of 1024 MB in use after a full collection, above 50 %");
  }

  @Test
  void theMinimumIntervalCountsFromThePreviousRecycle() {
    RecyclePolicy policy = policy(null, 0.5);
    Instant previous = Instant.parse("2026-12-08T10:00:00Z");

    assertThat(policy.intervalPassed(previous.plus(Duration.ofMinutes(59)), previous)).isFalse();
    assertThat(policy.intervalPassed(previous.plus(Duration.ofMinutes(60)), previous)).isTrue();
  }

  @Test
  void aHeapShareOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> policy(null, 0)).hasMessageContaining("heap-share");
    assertThatThrownBy(() -> policy(null, 1.5)).hasMessageContaining("heap-share");
  }
}
