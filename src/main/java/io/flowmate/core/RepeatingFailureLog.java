package io.flowmate.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs a failure that repeats (a periodic sweep that fails every second until the database or
 * WhatsApp is back) once with its stack trace, then only a summary line at most every {@code
 * summaryEvery} ("… failed 57 times since …; last: …"), and one line when it works again. Each
 * failing thing is named by a key (the sweep, or the sweep and the message id); keys are ids, never
 * personal data.
 *
 * <p>A streak ends when its key succeeds, or when it has not failed for {@code summaryEvery}: the
 * next failure is logged in full again.
 */
public final class RepeatingFailureLog {

  /** Streaks kept at most; beyond this the quiet ones are forgotten first. */
  static final int MAX_STREAKS = 1_000;

  private final Logger log;
  private final Duration summaryEvery;
  private final Clock clock;
  private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

  /** Failures of one key since its streak began. */
  private static final class Streak {
    final Instant since;
    int failures;
    int reported;
    Instant reportedAt;
    Instant lastAt;
    String lastMessage;

    Streak(Instant since) {
      this.since = since;
      this.reportedAt = since;
      this.lastAt = since;
    }
  }

  public RepeatingFailureLog(Logger log, Duration summaryEvery, Clock clock) {
    this.log = log;
    this.summaryEvery = summaryEvery;
    this.clock = clock;
  }

  /** Summaries every ten minutes, on the system clock. */
  public RepeatingFailureLog(Logger log) {
    this(log, Duration.ofMinutes(10), Clock.systemUTC());
  }

  /**
   * One failure of {@code what} (the words a log line starts with: "Recovering the claims of
   * session 42"), under {@code key}: logged as a warning with its stack trace if it is the first of
   * a streak, else counted and summarised when the summary is due.
   */
  public void failed(String key, String what, Throwable error) {
    Instant now = clock.instant();
    String message = LogSafe.text(error.getMessage() == null ? error : error.getMessage());
    forgetQuietStreaks(now);
    Streak streak =
        streaks.compute(
            key,
            (k, found) ->
                found == null || found.lastAt.plus(summaryEvery).isBefore(now)
                    ? new Streak(now)
                    : found);
    int failures;
    int unreported;
    synchronized (streak) {
      streak.failures++;
      streak.lastAt = now;
      streak.lastMessage = message;
      failures = streak.failures;
      boolean due = !streak.reportedAt.plus(summaryEvery).isAfter(now);
      unreported = failures == 1 || due ? failures - streak.reported : 0;
      if (unreported > 0) {
        streak.reported = failures;
        streak.reportedAt = now;
      }
    }
    if (failures == 1) {
      log.warn(
          "{} failed (repeats are summarised every {}): {}", what, summaryEvery, message, error);
    } else if (unreported > 0) {
      log.warn(
          "{} failed {} times since {} ({} since the last report); last: {}",
          what,
          failures,
          streak.since,
          unreported,
          message);
    }
  }

  /** {@code what} worked under {@code key}: ends its streak, saying so if it had failed. */
  public void succeeded(String key, String what) {
    Streak ended = streaks.remove(key);
    if (ended != null) {
      log.info("{} works again after failing {} times since {}", what, ended.failures, ended.since);
    }
  }

  /** Streaks being counted (for tests). */
  int streaks() {
    return streaks.size();
  }

  private void forgetQuietStreaks(Instant now) {
    if (streaks.size() < MAX_STREAKS) {
      return;
    }
    streaks.values().removeIf(streak -> streak.lastAt.plus(summaryEvery).isBefore(now));
    if (streaks.size() >= MAX_STREAKS) {
      // Still full of live streaks: forget all, each one's next failure is logged in full again.
      streaks.clear();
    }
  }
}
