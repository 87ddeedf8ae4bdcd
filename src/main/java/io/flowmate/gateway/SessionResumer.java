package io.flowmate.gateway;

import io.flowmate.core.LogSafe;
import io.flowmate.gateway.spi.WhatsAppTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** After a restart, opens again every session the user left running. */
@Component
class SessionResumer {

  private static final Logger log = LoggerFactory.getLogger(SessionResumer.class);

  private final SessionRepository sessions;
  private final WhatsAppTransport transport;

  SessionResumer(SessionRepository sessions, WhatsAppTransport transport) {
    this.sessions = sessions;
    this.transport = transport;
  }

  @EventListener(ApplicationReadyEvent.class)
  void resume() {
    var toResume = sessions.shouldRun();
    for (var session : toResume) {
      try {
        transport.open(session.info().ref());
      } catch (RuntimeException e) {
        log.warn(
            "Could not resume session {}: {}", session.info().id(), LogSafe.text(e.getMessage()));
      }
    }
    if (!toResume.isEmpty()) {
      log.info("Resumed {} session(s)", toResume.size());
    }
  }
}
