package io.flowmate.workflow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * When the embedded engine is due for a recycle (see {@link EngineRecycler}): never within {@code
 * min-interval} of the previous one (or of the start); otherwise in the hour after the nightly time
 * if none happened since that time, or once the heap still in use after a full collection exceeds
 * {@code heap-share} of the maximum heap.
 */
record RecyclePolicy(EngineSettings.Recycle settings) {

  /** How long after the nightly time a recycle that did not happen yet still happens. */
  static final Duration NIGHTLY_WINDOW = Duration.ofHours(1);

  private static final long MB = 1024 * 1024;

  /** Whether the minimum interval since the previous recycle (or the start) has passed. */
  boolean intervalPassed(Instant now, Instant previous) {
    return !now.isBefore(previous.plus(settings.minInterval()));
  }

  /** Why the nightly recycle is due now, if it is. */
  Optional<String> nightly(Instant now, Instant previous) {
    if (settings.nightlyAt() == null || !intervalPassed(now, previous)) {
      return Optional.empty();
    }
    ZonedDateTime local = now.atZone(settings.zone());
    ZonedDateTime slot = local.toLocalDate().atTime(settings.nightlyAt()).atZone(settings.zone());
    if (slot.isAfter(local)) {
      slot = slot.minusDays(1);
    }
    Instant due = slot.toInstant();
    if (previous.isBefore(due) && now.isBefore(due.plus(NIGHTLY_WINDOW))) {
      return Optional.of("nightly at %s %s".formatted(settings.nightlyAt(), settings.zone()));
    }
    return Optional.empty();
  }

  /** The heap in use above which the engine is recycled. */
  long heapThreshold(long maxHeap) {
    return (long) (maxHeap * settings.heapShare());
  }

  /** Why the heap calls for a recycle, if {@code usedAfterGc} is above the threshold. */
  Optional<String> heap(long usedAfterGc, long maxHeap) {
    if (usedAfterGc <= heapThreshold(maxHeap)) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "heap %d MB of %d MB in use after a full collection, above %.0f %%",
            usedAfterGc / MB,
            maxHeap / MB,
            settings.heapShare() * 100));
  }
}
