package io.flowmate.gateway.liveness;

/**
 * What the watchdog decided for one session.
 *
 * @param recovered the session showed life after its last restart: the restarts in a row start
 *     again from zero (and an unhealthy report ends)
 * @param action what to do now
 * @param cause why, for {@link Action#RESTART} and {@link Action#REPORT_UNHEALTHY}
 * @param reason the same in words, recorded and shown to the operator
 */
record Verdict(boolean recovered, Action action, RestartCause cause, String reason) {

  enum Action {
    NONE,
    RESTART,
    /** Restarts did not help: report the session unhealthy, do not restart it now. */
    REPORT_UNHEALTHY
  }

  static Verdict nothing(boolean recovered) {
    return new Verdict(recovered, Action.NONE, null, null);
  }
}
