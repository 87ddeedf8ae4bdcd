package io.flowmate.gateway.liveness;

import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.spi.SessionProbe;
import java.time.Duration;
import java.time.Instant;

/**
 * The watchdog's decision for one session, from what it knows and what it just observed; no I/O, so
 * every rule is tested with fixed instants.
 *
 * <ul>
 *   <li><b>Silent</b>: a message was handed to WhatsApp at least {@code silence-threshold} ago and
 *       nothing at all came back since (no ack, no incoming message). A quiet number, which sends
 *       nothing, is never silent: only the probe watches it.
 *   <li><b>Probe failed</b>: the transport said {@code probe-failures} times in a row that the
 *       session is not connected.
 *   <li><b>Not working</b>: a restarted session is still not {@code working} once {@code
 *       recovery-time} has passed.
 * </ul>
 *
 * Each problem restarts the session, up to {@code max-restarts} in a row; then it is reported
 * unhealthy once and restarted only every {@code backoff}, so a session that stays dead causes no
 * restart storm. A restart is judged by what follows it: the session recovers when WhatsApp sends
 * an event after it, or, for restarts not caused by silence, when a probe finds it connected again.
 */
final class LivenessRules {

  private final GatewaySettings.Liveness settings;

  LivenessRules(GatewaySettings.Liveness settings) {
    this.settings = settings;
  }

  /**
   * @param oldestUnacknowledged when the oldest message handed over since {@link
   *     Pulse#evidenceSince()} was, if it has no ack yet
   * @param probe the probe made in this check, or null if none was due
   * @param probeFailures failed probes in a row, this one included
   */
  Verdict judge(
      Pulse pulse,
      Instant oldestUnacknowledged,
      SessionProbe probe,
      int probeFailures,
      Instant now) {
    if (pulse.restartingUntil() != null && now.isBefore(pulse.restartingUntil())) {
      return Verdict.nothing(false);
    }
    if (!pulse.isWorking() && pulse.lastRestartAt() == null) {
      // Sessions that are not working are the user's business until the watchdog restarts one.
      return Verdict.nothing(false);
    }
    String problem = null;
    RestartCause cause = null;
    if (!pulse.isWorking()) {
      cause = RestartCause.NOT_WORKING;
      problem =
          "still %s %s after the restart"
              .formatted(
                  pulse.status().value(), words(Duration.between(pulse.lastRestartAt(), now)));
    } else if (oldestUnacknowledged != null
        && !oldestUnacknowledged.isAfter(now.minus(settings.silenceThreshold()))) {
      cause = RestartCause.SILENT;
      problem =
          "WhatsApp sent nothing (no ack, no message) for %s after a message was handed over at %s"
              .formatted(words(Duration.between(oldestUnacknowledged, now)), oldestUnacknowledged);
    } else if (probeFailures >= settings.probeFailures()) {
      cause = RestartCause.PROBE_FAILED;
      problem =
          "the transport reported it not connected %d time(s) in a row%s"
              .formatted(
                  probeFailures,
                  probe != null && probe.problem() != null ? ": " + probe.problem() : "");
    }
    boolean recovered = pulse.restartsInARow() > 0 && cameBack(pulse, problem, probe);
    if (problem == null) {
      return Verdict.nothing(recovered);
    }
    int restartsInARow = recovered ? 0 : pulse.restartsInARow();
    if (restartsInARow < settings.maxRestarts()) {
      return new Verdict(recovered, Verdict.Action.RESTART, cause, problem);
    }
    if (pulse.unhealthySince() == null) {
      return new Verdict(recovered, Verdict.Action.REPORT_UNHEALTHY, cause, problem);
    }
    boolean backedOff =
        pulse.lastRestartAt() == null
            || !now.isBefore(pulse.lastRestartAt().plus(settings.backoff()));
    return backedOff
        ? new Verdict(false, Verdict.Action.RESTART, cause, problem)
        : Verdict.nothing(false);
  }

  /**
   * WhatsApp sent an event after the last restart; or, when that restart was not about silence
   * (nothing may be sent to hear back from), the session works and a probe just found it connected.
   */
  private static boolean cameBack(Pulse pulse, String problem, SessionProbe probe) {
    if (pulse.lastRestartAt() == null) {
      return false;
    }
    if (pulse.lastEventAt() != null && pulse.lastEventAt().isAfter(pulse.lastRestartAt())) {
      return true;
    }
    return problem == null
        && pulse.lastRestartCause() != RestartCause.SILENT
        && probe != null
        && probe.connected();
  }

  /** "5 min", "90 s", "2 h 5 min": how operators read a duration. */
  static String words(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 120) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 120) {
      return minutes + " min";
    }
    return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
  }
}
