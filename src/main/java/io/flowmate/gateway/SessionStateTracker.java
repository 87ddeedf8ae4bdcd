package io.flowmate.gateway;

import io.flowmate.core.sse.LiveEvents;
import io.flowmate.gateway.events.SessionStatusChanged;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.SessionState;
import io.flowmate.gateway.spi.TransportEvent.SessionStateChanged;
import io.flowmate.gateway.spi.TransportEventListener;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records the session states transports report and announces each change (to other modules as an
 * event, to browsers on the session's live stream). A session logged out by the phone or banned
 * loses its pairing and is not opened again until the user starts it.
 */
@Component
class SessionStateTracker implements TransportEventListener {

  private static final Logger log = LoggerFactory.getLogger(SessionStateTracker.class);

  private final SessionRepository sessions;
  private final ApplicationEventPublisher events;
  private final LiveEvents live;
  private final TransactionTemplate transaction;

  SessionStateTracker(
      SessionRepository sessions,
      ApplicationEventPublisher events,
      LiveEvents live,
      TransactionTemplate transaction) {
    this.sessions = sessions;
    this.events = events;
    this.live = live;
    this.transaction = transaction;
  }

  @Override
  public void onTransportEvent(TransportEvent event) {
    // Only state changes open a transaction: every incoming message passes here too.
    if (event instanceof SessionStateChanged change) {
      transaction.executeWithoutResult(status -> record(change));
    }
  }

  private void record(SessionStateChanged change) {
    sessions
        .lock(change.sessionId().value())
        .ifPresent(session -> {
          SessionStatus previous = session.info().status();
          SessionStatus status = SessionStatus.of(change.state());
          String reason = change.reason();
          if (change.state() == SessionState.LOGGED_OUT) {
            sessions.forgetPairing(change.sessionId().value(), change.occurredAt());
            sessions.setDesiredState(change.sessionId().value(), false, change.occurredAt());
            reason = reason != null ? reason : "logged out: pair the phone again";
          }
          sessions.updateStatus(
              change.sessionId().value(),
              status,
              status == SessionStatus.QR_CODE ? change.qrCode() : null,
              status == SessionStatus.PASSKEY_REQUIRED ? change.passkeyChallenge() : null,
              change.me() == null ? null : change.me().phoneNumber(),
              change.me() == null ? null : change.me().pushName(),
              status == SessionStatus.FAILED ? reason : null,
              change.occurredAt());
          if (previous != status) {
            log.info("Session {} is now {}", change.sessionId(), status.value());
            events.publishEvent(
                new SessionStatusChanged(
                    session.info().tenantId(),
                    change.sessionId(),
                    previous.value(),
                    status.value(),
                    change.occurredAt()));
          }
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("session_id", change.sessionId());
          data.put("status", status.value());
          data.put("previous_status", previous.value());
          if (reason != null && status == SessionStatus.FAILED) {
            data.put("reason", reason);
          }
          live.publish(
              session.info().tenantId(), change.sessionId().value(), "session.status", data);
        });
  }
}
