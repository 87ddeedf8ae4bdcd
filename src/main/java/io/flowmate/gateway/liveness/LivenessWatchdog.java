package io.flowmate.gateway.liveness;

import io.flowmate.core.Ids;
import io.flowmate.core.sse.LiveEvents;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.events.SessionRecovered;
import io.flowmate.gateway.events.SessionRestarted;
import io.flowmate.gateway.events.SessionUnhealthy;
import io.flowmate.gateway.spi.OutstandingSends;
import io.flowmate.gateway.spi.SessionProbe;
import io.flowmate.gateway.spi.WhatsAppTransport;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Watches every working session for the zombie failure of WhatsApp gateways: the status stays
 * {@code working} while events stopped (a broken stream inside WAHA), until someone restarts the
 * session by hand. Every {@code check-interval} each instance writes the events it received ({@link
 * LivenessTracker}), probes the sessions whose probe is due, asks messaging which sends are still
 * unacknowledged, lets {@link LivenessRules} decide, and restarts through the transport, records
 * why ({@code gateway_session_restart}) and announces it: {@link SessionRestarted}, {@link
 * SessionUnhealthy}, {@link SessionRecovered} for other modules, {@code session.restarted}, {@code
 * session.unhealthy}, {@code session.recovered} on the session's live stream.
 *
 * <p>Why the outstanding sends come from messaging through {@link OutstandingSends}: messaging
 * depends on the gateway, so the gateway cannot call it, and counting sends in the gateway (sends
 * handed to the transport minus acks seen) would count per instance in memory, while in a
 * deployment of several instances one sends and another receives WAHA's acks, and the counts would
 * be lost on every restart. Messaging already records, in the database, when each message was
 * handed over and whether any ack arrived; implementing a gateway interface keeps the dependency
 * pointing the allowed way. The gateway keeps what only it sees, the last event of each session.
 *
 * <p>Several instances run this at once; the conditional UPDATEs of {@link LivenessRepository} let
 * exactly one of them probe a session per interval, restart it, report it or announce its recovery.
 */
@Component
class LivenessWatchdog {

  private static final Logger log = LoggerFactory.getLogger(LivenessWatchdog.class);

  /** Nothing implements it without messaging: only the probe watches sessions then. */
  private static final OutstandingSends NONE = (session, since) -> Optional.empty();

  private final LivenessRepository repository;
  private final LivenessTracker tracker;
  private final WhatsAppTransport transport;
  private final ObjectProvider<OutstandingSends> outstandingSends;
  private final ApplicationEventPublisher events;
  private final LiveEvents live;
  private final TransactionTemplate transaction;
  private final GatewaySettings.Liveness settings;
  private final LivenessRules rules;
  private final Clock clock;

  LivenessWatchdog(
      LivenessRepository repository,
      LivenessTracker tracker,
      WhatsAppTransport transport,
      ObjectProvider<OutstandingSends> outstandingSends,
      ApplicationEventPublisher events,
      LiveEvents live,
      TransactionTemplate transaction,
      GatewaySettings settings,
      Clock clock) {
    this.repository = repository;
    this.tracker = tracker;
    this.transport = transport;
    this.outstandingSends = outstandingSends;
    this.events = events;
    this.live = live;
    this.transaction = transaction;
    this.settings = settings.liveness();
    this.rules = new LivenessRules(this.settings);
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${flowmate.gateway.liveness.check-interval:30s}",
      initialDelayString = "${flowmate.gateway.liveness.check-interval:30s}")
  void scheduledCheck() {
    if (!settings.enabled()) {
      return;
    }
    try {
      check();
    } catch (RuntimeException e) {
      // The database is unreachable, say: the next round tries again.
      log.warn("Liveness check failed: {}", e.toString());
    }
  }

  /** One round over every session to watch; a session that fails to be checked is logged. */
  void check() {
    tracker.flush();
    Instant now = clock.instant();
    for (Pulse pulse : repository.pulses(now)) {
      try {
        check(pulse, now);
      } catch (RuntimeException e) {
        log.warn("Liveness check of session {} failed: {}", pulse.sessionId(), e.toString());
      }
    }
  }

  private void check(Pulse pulse, Instant now) {
    SessionProbe probe = null;
    int probeFailures = pulse.probeFailures();
    if (pulse.isWorking()
        && repository.claimProbe(pulse.sessionId(), now, now.minus(settings.probeInterval()))) {
      probe = probe(pulse);
      probeFailures = repository.recordProbe(pulse.sessionId(), probe.connected());
    }
    Instant unacknowledged =
        pulse.isWorking()
            ? outstandingSends
                .getIfAvailable(() -> NONE)
                .oldestUnacknowledgedSince(pulse.sessionId(), pulse.evidenceSince())
                .orElse(null)
            : null;
    Verdict verdict = rules.judge(pulse, unacknowledged, probe, probeFailures, now);
    int restartsInARow = pulse.restartsInARow();
    if (verdict.recovered()) {
      recovered(pulse, now);
      restartsInARow = 0;
    }
    switch (verdict.action()) {
      case RESTART -> restart(pulse, restartsInARow, verdict, now);
      case REPORT_UNHEALTHY -> reportUnhealthy(pulse, restartsInARow, verdict, now);
      case NONE -> {}
    }
  }

  private SessionProbe probe(Pulse pulse) {
    try {
      return transport.probe(pulse.ref());
    } catch (RuntimeException e) {
      log.warn("Probe of session {} failed: {}", pulse.sessionId(), e.toString());
      return SessionProbe.failed("the transport could not be asked");
    }
  }

  private void recovered(Pulse pulse, Instant now) {
    transaction.executeWithoutResult(status -> {
      if (!repository.recover(pulse.sessionId(), pulse.restartsInARow())) {
        return;
      }
      repository.settleAwaiting(pulse.sessionId(), LivenessRepository.RECOVERED, now);
      boolean wasUnhealthy = pulse.unhealthySince() != null;
      log.info(
          "Session {} recovered after {} restart(s)", pulse.sessionId(), pulse.restartsInARow());
      events.publishEvent(
          new SessionRecovered(
              pulse.tenantId(), pulse.sessionId(), pulse.restartsInARow(), wasUnhealthy, now));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("session_id", pulse.sessionId());
      data.put("restarts", pulse.restartsInARow());
      data.put("was_unhealthy", wasUnhealthy);
      data.put("recovered_at", now);
      live.publish(pulse.tenantId(), pulse.sessionId(), "session.recovered", data);
    });
  }

  /**
   * Claims the restart (one instance only), records it before the transport is told, restarts, then
   * records the outcome and announces it.
   */
  private void restart(Pulse pulse, int restartsInARow, Verdict verdict, Instant now) {
    UUID restartId = Ids.newId();
    Boolean claimed =
        transaction.execute(status -> {
          if (!repository.claimRestart(
              pulse.sessionId(), restartsInARow, now, now.plus(settings.recoveryTime()))) {
            return false;
          }
          repository.settleAwaiting(pulse.sessionId(), LivenessRepository.NO_EFFECT, now);
          repository.insertRestart(
              restartId,
              pulse.sessionId(),
              pulse.tenantId(),
              now,
              verdict.cause(),
              verdict.reason());
          return true;
        });
    if (!Boolean.TRUE.equals(claimed)) {
      return;
    }
    log.warn(
        "Restarting session {} ({}, restart {} in a row)",
        pulse.sessionId(),
        verdict.cause().value(),
        restartsInARow + 1);
    String failure = null;
    try {
      transport.restart(pulse.ref());
    } catch (RuntimeException e) {
      // The transport's message names its address: it stays in the log.
      log.warn("The transport could not restart session {}: {}", pulse.sessionId(), e.toString());
      failure = "the transport refused the restart or did not answer (see the server log)";
    }
    String refused = failure;
    Instant at = clock.instant();
    transaction.executeWithoutResult(status -> {
      if (refused != null) {
        repository.failRestart(restartId, refused, at);
      }
      events.publishEvent(
          new SessionRestarted(
              pulse.tenantId(),
              pulse.sessionId(),
              verdict.cause().value(),
              verdict.reason(),
              refused == null,
              restartsInARow + 1,
              now));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("session_id", pulse.sessionId());
      data.put("restart_id", restartId);
      data.put("cause", verdict.cause().value());
      data.put("reason", verdict.reason());
      data.put(
          "outcome",
          refused == null ? LivenessRepository.AWAITING_ACTIVITY : LivenessRepository.FAILED);
      data.put("restarts_in_a_row", restartsInARow + 1);
      data.put("restarted_at", now);
      live.publish(pulse.tenantId(), pulse.sessionId(), "session.restarted", data);
    });
  }

  private void reportUnhealthy(Pulse pulse, int restartsInARow, Verdict verdict, Instant now) {
    transaction.executeWithoutResult(status -> {
      if (!repository.reportUnhealthy(pulse.sessionId(), restartsInARow, now)) {
        return;
      }
      repository.settleAwaiting(pulse.sessionId(), LivenessRepository.NO_EFFECT, now);
      log.warn(
          "Session {} is unhealthy: {} restart(s) did not help ({}); restarting it every {} from"
              + " now on",
          pulse.sessionId(),
          restartsInARow,
          verdict.cause().value(),
          settings.backoff());
      events.publishEvent(
          new SessionUnhealthy(
              pulse.tenantId(),
              pulse.sessionId(),
              verdict.cause().value(),
              verdict.reason(),
              restartsInARow,
              now));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("session_id", pulse.sessionId());
      data.put("cause", verdict.cause().value());
      data.put("reason", verdict.reason());
      data.put("restarts", restartsInARow);
      data.put("since", now);
      Instant lastRestart = pulse.lastRestartAt() != null ? pulse.lastRestartAt() : now;
      data.put("next_restart_at", lastRestart.plus(settings.backoff()));
      live.publish(pulse.tenantId(), pulse.sessionId(), "session.unhealthy", data);
    });
  }
}
