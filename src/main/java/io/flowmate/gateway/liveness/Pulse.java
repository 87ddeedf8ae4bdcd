package io.flowmate.gateway.liveness;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.SessionStatus;
import io.flowmate.gateway.spi.SessionRef;
import java.time.Instant;
import java.util.UUID;

/**
 * What the watchdog knows of one session when it checks it: the liveness columns of its row.
 *
 * @param statusSince when the session entered its status (for a working one: since when it works)
 * @param lastEventAt the last event WhatsApp sent for it (state changes do not count), or null
 * @param lastRestartCause why the last restart happened, or null if it never was
 * @param restartsInARow restarts since the session last showed life
 * @param unhealthySince when it was reported unhealthy, while it is
 * @param restartingUntil a restart is under way until then (no instance judges it before)
 * @param probeFailures failed probes in a row
 */
record Pulse(
    UUID sessionId,
    TenantId tenantId,
    String phoneNumber,
    SessionStatus status,
    Instant statusSince,
    Instant lastEventAt,
    Instant lastRestartAt,
    RestartCause lastRestartCause,
    int restartsInARow,
    Instant unhealthySince,
    Instant restartingUntil,
    int probeFailures) {

  SessionRef ref() {
    return new SessionRef(SessionId.of(sessionId), phoneNumber);
  }

  boolean isWorking() {
    return status == SessionStatus.WORKING;
  }

  /**
   * Messages handed over before this tell nothing about the session's current connection: they were
   * answered by a later event, or went out before it (re)connected or was restarted.
   */
  Instant evidenceSince() {
    Instant since = statusSince;
    for (Instant later : new Instant[] {lastEventAt, lastRestartAt}) {
      if (later != null && (since == null || later.isAfter(since))) {
        since = later;
      }
    }
    return since == null ? Instant.EPOCH : since;
  }
}
