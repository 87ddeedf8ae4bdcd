package io.flowmate.support;

import io.flowmate.workflow.EmbeddedEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The application's clock held equal to the embedded engine's: moving time forward moves both, so
 * timers fire and the code they start sees the same "now" as the engine, as in production, where
 * both read the system clock. The engine's clock is the system clock plus an offset that only grows
 * ({@code increaseTime}); this one adds the same offset.
 *
 * <p>A test class that imports {@link Config} gets an application context of its own (shared only
 * with classes that import it the same way), so the moved time does not reach other tests.
 */
public final class EngineClock extends Clock {

  private final EmbeddedEngine engine;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public EngineClock(EmbeddedEngine engine) {
    this.engine = engine;
  }

  /** Moves the application and the engine forward; due timers fire. */
  public void travel(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "the engine's clock only moves forward, not by " + duration);
    }
    offset.updateAndGet(current -> current.plus(duration));
    engine.increaseTime(duration);
  }

  /** Moves forward to just past {@code instant} (a second later), if it is not past already. */
  public void travelPast(Instant instant) {
    Duration ahead = Duration.between(instant(), instant.plusSeconds(1));
    if (!ahead.isNegative()) {
      travel(ahead);
    }
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /** Import into a test class to run the application on the engine's time. */
  @TestConfiguration(proxyBeanMethods = false)
  public static class Config {
    @Bean
    @Primary
    EngineClock engineClock(EmbeddedEngine engine) {
      return new EngineClock(engine);
    }
  }
}
