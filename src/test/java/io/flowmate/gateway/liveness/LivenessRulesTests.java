package io.flowmate.gateway.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.TenantId;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.SessionStatus;
import io.flowmate.gateway.liveness.Verdict.Action;
import io.flowmate.gateway.spi.SessionProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's decisions at fixed instants, with the default settings: silence threshold 5 min,
 * two failed probes, 3 min to recover, three restarts before the report, then one per 30 min.
 */
class LivenessRulesTests {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
  private static final Instant NOW = CLOCK.instant();

  private final LivenessRules rules =
      new LivenessRules(
          new GatewaySettings.Liveness(
              true,
              Duration.ofSeconds(30),
              Duration.ofMinutes(5),
              Duration.ofMinutes(2),
              2,
              Duration.ofMinutes(3),
              3,
              Duration.ofMinutes(30)));

  @Test
  void aQuietNumberThatSentNothingIsLeftAlone() {
    Pulse quiet = working().lastEventAt(NOW.minus(Duration.ofHours(6))).build();

    Verdict verdict = rules.judge(quiet, null, SessionProbe.ok(), 0, NOW);

    assertThat(verdict).isEqualTo(Verdict.nothing(false));
  }

  @Test
  void aMessageUnansweredForTheThresholdRestartsTheSession() {
    Instant handedOver = NOW.minus(Duration.ofMinutes(5));

    Verdict verdict = rules.judge(working().build(), handedOver, null, 0, NOW);

    assertThat(verdict.action()).isEqualTo(Action.RESTART);
    assertThat(verdict.cause()).isEqualTo(RestartCause.SILENT);
    assertThat(verdict.reason())
        .isEqualTo(
            "WhatsApp sent nothing (no ack, no message) for 5 min after a message was handed over"
                + " at 2026-11-24T09:55:00Z");
  }

  @Test
  void aMessageUnansweredForLessThanTheThresholdIsNoSilenceYet() {
    Instant handedOver = NOW.minus(Duration.ofMinutes(5)).plusSeconds(1);

    Verdict verdict = rules.judge(working().build(), handedOver, null, 0, NOW);

    assertThat(verdict.action()).isEqualTo(Action.NONE);
  }

  @Test
  void oneFailedProbeIsToleratedTheSecondRestarts() {
    SessionProbe failed = SessionProbe.failed("WAHA reports the session as FAILED");

    Verdict first = rules.judge(working().build(), null, failed, 1, NOW);
    Verdict second = rules.judge(working().probeFailures(1).build(), null, failed, 2, NOW);

    assertThat(first.action()).isEqualTo(Action.NONE);
    assertThat(second.action()).isEqualTo(Action.RESTART);
    assertThat(second.cause()).isEqualTo(RestartCause.PROBE_FAILED);
    assertThat(second.reason())
        .isEqualTo(
            "the transport reported it not connected 2 time(s) in a row: WAHA reports the session"
                + " as FAILED");
  }

  @Test
  void aRestartUnderWayIsNotJudged() {
    Pulse restarting =
        working()
            .restarted(NOW.minus(Duration.ofMinutes(1)), RestartCause.SILENT, 1)
            .restartingUntil(NOW.plus(Duration.ofMinutes(2)))
            .build();

    Verdict verdict =
        rules.judge(restarting, NOW.minus(Duration.ofHours(1)), SessionProbe.failed("x"), 5, NOW);

    assertThat(verdict).isEqualTo(Verdict.nothing(false));
  }

  @Test
  void anEventAfterTheRestartIsARecovery() {
    Pulse answered =
        working()
            .restarted(NOW.minus(Duration.ofMinutes(4)), RestartCause.SILENT, 2)
            .lastEventAt(NOW.minus(Duration.ofMinutes(3)))
            .build();

    Verdict verdict = rules.judge(answered, null, SessionProbe.ok(), 0, NOW);

    assertThat(verdict).isEqualTo(Verdict.nothing(true));
  }

  @Test
  void aConnectedProbeAloneDoesNotProveASilentSessionBack() {
    Pulse restarted =
        working().restarted(NOW.minus(Duration.ofMinutes(4)), RestartCause.SILENT, 1).build();

    Verdict verdict = rules.judge(restarted, null, SessionProbe.ok(), 0, NOW);

    assertThat(verdict).isEqualTo(Verdict.nothing(false));
  }

  @Test
  void aConnectedProbeProvesASessionRestartedForFailedProbesBack() {
    Pulse restarted =
        working().restarted(NOW.minus(Duration.ofMinutes(4)), RestartCause.PROBE_FAILED, 1).build();

    Verdict verdict = rules.judge(restarted, null, SessionProbe.ok(), 0, NOW);

    assertThat(verdict).isEqualTo(Verdict.nothing(true));
  }

  @Test
  void aRecoveredSessionThatFallsSilentAgainStartsCountingFromOne() {
    Pulse recoveredThenSilent =
        working()
            .restarted(NOW.minus(Duration.ofMinutes(20)), RestartCause.SILENT, 3)
            .lastEventAt(NOW.minus(Duration.ofMinutes(19)))
            .build();

    Verdict verdict =
        rules.judge(recoveredThenSilent, NOW.minus(Duration.ofMinutes(6)), null, 0, NOW);

    assertThat(verdict.recovered()).isTrue();
    assertThat(verdict.action()).isEqualTo(Action.RESTART);
  }

  @Test
  void stillSilentAfterTheLastAllowedRestartIsReportedNotRestarted() {
    Pulse exhausted =
        working().restarted(NOW.minus(Duration.ofMinutes(6)), RestartCause.SILENT, 3).build();

    Verdict verdict = rules.judge(exhausted, NOW.minus(Duration.ofMinutes(5)), null, 0, NOW);

    assertThat(verdict.action()).isEqualTo(Action.REPORT_UNHEALTHY);
    assertThat(verdict.recovered()).isFalse();
    assertThat(verdict.cause()).isEqualTo(RestartCause.SILENT);
  }

  @Test
  void anUnhealthySessionIsRestartedOnlyOncePerBackoff() {
    Instant lastRestart = NOW.minus(Duration.ofMinutes(29));
    Pulse unhealthy =
        working()
            .restarted(lastRestart, RestartCause.SILENT, 3)
            .unhealthySince(NOW.minus(Duration.ofMinutes(20)))
            .build();
    Instant silentSince = NOW.minus(Duration.ofMinutes(25));

    Verdict during = rules.judge(unhealthy, silentSince, null, 0, NOW);
    Verdict after =
        rules.judge(unhealthy, silentSince, null, 0, lastRestart.plus(Duration.ofMinutes(30)));

    assertThat(during).isEqualTo(Verdict.nothing(false));
    assertThat(after.action()).isEqualTo(Action.RESTART);
  }

  @Test
  void aRestartedSessionStillStartingAfterTheRecoveryTimeIsRestartedAgain() {
    Pulse starting =
        working()
            .status(SessionStatus.STARTING)
            .restarted(NOW.minus(Duration.ofMinutes(3)), RestartCause.SILENT, 1)
            .build();

    Verdict verdict = rules.judge(starting, null, null, 0, NOW);

    assertThat(verdict.action()).isEqualTo(Action.RESTART);
    assertThat(verdict.cause()).isEqualTo(RestartCause.NOT_WORKING);
    assertThat(verdict.reason()).isEqualTo("still starting 3 min after the restart");
  }

  @Test
  void aSessionTheWatchdogNeverRestartedIsNotItsBusinessWhenNotWorking() {
    Pulse failed = working().status(SessionStatus.FAILED).build();

    assertThat(rules.judge(failed, null, null, 0, NOW)).isEqualTo(Verdict.nothing(false));
  }

  @Test
  void evidenceStartsWithTheLatestOfWorkingSinceLastEventAndLastRestart() {
    Instant workingSince = NOW.minus(Duration.ofHours(2));
    Instant lastEvent = NOW.minus(Duration.ofHours(1));
    Instant lastRestart = NOW.minus(Duration.ofMinutes(10));

    assertThat(working().statusSince(workingSince).build().evidenceSince()).isEqualTo(workingSince);
    assertThat(working().statusSince(workingSince).lastEventAt(lastEvent).build().evidenceSince())
        .isEqualTo(lastEvent);
    assertThat(
            working()
                .statusSince(workingSince)
                .lastEventAt(lastEvent)
                .restarted(lastRestart, RestartCause.SILENT, 1)
                .build()
                .evidenceSince())
        .isEqualTo(lastRestart);
  }

  @Test
  void durationsReadAsOperatorsSayThem() {
    assertThat(LivenessRules.words(Duration.ofSeconds(45))).isEqualTo("45 s");
    assertThat(LivenessRules.words(Duration.ofMinutes(5))).isEqualTo("5 min");
    assertThat(LivenessRules.words(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    assertThat(LivenessRules.words(Duration.ofHours(3))).isEqualTo("3 h");
  }

  private static PulseBuilder working() {
    return new PulseBuilder();
  }

  /** A working session, paired a day ago, never restarted; each call changes one thing. */
  private static final class PulseBuilder {
    private SessionStatus status = SessionStatus.WORKING;
    private Instant statusSince = NOW.minus(Duration.ofDays(1));
    private Instant lastEventAt;
    private Instant lastRestartAt;
    private RestartCause lastRestartCause;
    private int restartsInARow;
    private Instant unhealthySince;
    private Instant restartingUntil;
    private int probeFailures;

    PulseBuilder status(SessionStatus value) {
      status = value;
      return this;
    }

    PulseBuilder statusSince(Instant value) {
      statusSince = value;
      return this;
    }

    PulseBuilder lastEventAt(Instant value) {
      lastEventAt = value;
      return this;
    }

    PulseBuilder restarted(Instant at, RestartCause cause, int inARow) {
      lastRestartAt = at;
      lastRestartCause = cause;
      restartsInARow = inARow;
      return this;
    }

    PulseBuilder unhealthySince(Instant value) {
      unhealthySince = value;
      return this;
    }

    PulseBuilder restartingUntil(Instant value) {
      restartingUntil = value;
      return this;
    }

    PulseBuilder probeFailures(int value) {
      probeFailures = value;
      return this;
    }

    Pulse build() {
      return new Pulse(
          UUID.randomUUID(),
          TenantId.of(UUID.randomUUID()),
          "15550001234",
          status,
          statusSince,
          lastEventAt,
          lastRestartAt,
          lastRestartCause,
          restartsInARow,
          unhealthySince,
          restartingUntil,
          probeFailures);
    }
  }
}
