package io.flowmate.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flowmate.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A sweep failing every second logs one stack trace, then a count every ten minutes. */
class RepeatingFailureLogTests {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final Logger logger =
      (Logger) LoggerFactory.getLogger("RepeatingFailureLogTests." + UUID.randomUUID());
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final RepeatingFailureLog failures =
      new RepeatingFailureLog(logger, Duration.ofMinutes(10), clock);

  @BeforeEach
  void capture() {
    logger.setLevel(Level.INFO);
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
  }

  @Test
  void aFailureEverySecondIsLoggedOnceWithItsStackTraceThenCounted() {
    for (int second = 0; second < 600; second++) {
      failures.failed("sweep", "The outbox sweep", new IllegalStateException("database gone"));
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(logged.list).hasSize(1);
    ILoggingEvent first = logged.list.getFirst();
    assertThat(first.getLevel()).isEqualTo(Level.WARN);
    assertThat(first.getFormattedMessage())
        .startsWith("The outbox sweep failed")
        .contains("database gone");
    assertThat(first.getThrowableProxy()).isNotNull();

    failures.failed("sweep", "The outbox sweep", new IllegalStateException("still gone"));

    assertThat(logged.list).hasSize(2);
    ILoggingEvent summary = logged.list.get(1);
    assertThat(summary.getFormattedMessage())
        .isEqualTo(
            "The outbox sweep failed 601 times since 2026-12-07T10:00:00Z (600 since the last"
                + " report); last: still gone");
    assertThat(summary.getThrowableProxy()).as("no stack trace in a summary").isNull();
  }

  @Test
  void workingAgainIsSaidOnceAndTheNextFailureIsLoggedInFull() {
    failures.failed("sweep", "The outbox sweep", new IllegalStateException("database gone"));
    failures.failed("sweep", "The outbox sweep", new IllegalStateException("database gone"));
    clock.advance(Duration.ofSeconds(3));

    failures.succeeded("sweep", "The outbox sweep");
    failures.succeeded("sweep", "The outbox sweep");
    failures.failed("sweep", "The outbox sweep", new IllegalStateException("gone again"));

    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "The outbox sweep failed (repeats are summarised every PT10M): database gone",
            "The outbox sweep works again after failing 2 times since 2026-12-07T10:00:00Z",
            "The outbox sweep failed (repeats are summarised every PT10M): gone again");
    assertThat(logged.list.get(2).getThrowableProxy()).isNotNull();
  }

  @Test
  void eachKeyHasItsOwnStreakAndAQuietOneEnds() {
    failures.failed("lookup:1", "Looking up message 1", new IllegalStateException("503"));
    failures.failed("lookup:2", "Looking up message 2", new IllegalStateException("503"));
    failures.failed("lookup:1", "Looking up message 1", new IllegalStateException("503"));
    clock.advance(Duration.ofMinutes(11));
    failures.failed("lookup:1", "Looking up message 1", new IllegalStateException("503"));

    List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines)
        .containsExactly(
            "Looking up message 1 failed (repeats are summarised every PT10M): 503",
            "Looking up message 2 failed (repeats are summarised every PT10M): 503",
            "Looking up message 1 failed (repeats are summarised every PT10M): 503");
  }

  @Test
  void streaksStayBounded() {
    for (int i = 0; i < RepeatingFailureLog.MAX_STREAKS + 10; i++) {
      failures.failed("message:" + i, "Message " + i, new IllegalStateException("x"));
    }

    assertThat(failures.streaks()).isLessThanOrEqualTo(RepeatingFailureLog.MAX_STREAKS);
  }

  @Test
  void aScheduledTaskIsNamedByItsOutermostFlowmateFrame() {
    IllegalStateException failure = new IllegalStateException("database gone");
    failure.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("org.postgresql.Driver", "connect", null, 1),
          new StackTraceElement("io.flowmate.messaging.outbox.OutboxClaims", "claimDue", null, 2),
          new StackTraceElement("io.flowmate.messaging.outbox.OutboxDispatcher", "sweep", null, 3),
          new StackTraceElement("org.springframework.scheduling.Task", "run", null, 4)
        });

    assertThat(ScheduledTaskFailures.taskOf(failure)).isEqualTo("OutboxDispatcher.sweep");
  }

  @Test
  void aMessageThatCouldForgeLogLinesIsNeutralised() {
    failures.failed("sweep", "The sweep", new IllegalStateException("bad\nFAKE ENTRY"));

    assertThat(logged.list.getFirst().getFormattedMessage()).endsWith("bad_FAKE ENTRY");
  }
}
