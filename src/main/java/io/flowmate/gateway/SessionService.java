package io.flowmate.gateway;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.IllegalTransitionException;
import io.flowmate.gateway.SessionRepository.SessionRow;
import io.flowmate.gateway.events.SessionDeleted;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.SessionState;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.WhatsAppTransport;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Session commands. The database records what the user wants (running or stopped) before the
 * transport is told, so that a restart opens again exactly the sessions that should run; the
 * resulting states arrive as transport events ({@link SessionStateTracker}).
 */
@Service
class SessionService {

  private static final Logger log = LoggerFactory.getLogger(SessionService.class);

  private final SessionRepository sessions;
  private final WhatsAppTransport transport;
  private final Tenants tenants;
  private final SessionStateTracker states;
  private final Sessions identities;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transaction;
  private final Clock clock;

  SessionService(
      SessionRepository sessions,
      WhatsAppTransport transport,
      Tenants tenants,
      SessionStateTracker states,
      Sessions identities,
      ApplicationEventPublisher events,
      TransactionTemplate transaction,
      Clock clock) {
    this.sessions = sessions;
    this.transport = transport;
    this.identities = identities;
    this.tenants = tenants;
    this.states = states;
    this.events = events;
    this.transaction = transaction;
    this.clock = clock;
  }

  @Transactional
  SessionRow create(TenantId tenant, String name) {
    sessions.lockSessionsOf(tenant);
    PlanLimits limits = tenants.limits(tenant);
    long existing = sessions.count(tenant);
    if (!PlanLimits.allowsOneMore(limits.maxSessions(), existing)) {
      throw ApiException.forbidden(
          "The %s plan allows %d session(s) and this tenant has %d; delete one or upgrade"
              .formatted(limits.displayName(), limits.maxSessions(), existing));
    }
    if (sessions.existsByName(tenant, name)) {
      throw ApiException.conflict("A session named '%s' already exists".formatted(name));
    }
    Instant now = clock.instant();
    SessionInfo session =
        new SessionInfo(
            SessionId.of(Ids.newId()), tenant, name, SessionStatus.STOPPED, null, false, null, now);
    sessions.insert(session, now);
    return get(tenant, session.id().value());
  }

  SessionRow get(TenantId tenant, UUID id) {
    return sessions.find(tenant, id).orElseThrow(() -> ApiException.notFound("Session", id));
  }

  SessionRow start(TenantId tenant, UUID id) {
    SessionRow session = get(tenant, id);
    sessions.setDesiredState(id, true, clock.instant());
    if (session.info().status().needsOpening()) {
      // Answer with "starting" at once; the transport reports the next states as they happen.
      states.onTransportEvent(
          new TransportEvent.SessionStateChanged(
              SessionId.of(id), SessionState.STARTING, null, null, null, null, clock.instant()));
      opening("start", id, () -> transport.open(session.info().ref()));
    }
    return get(tenant, id);
  }

  SessionRow stop(TenantId tenant, UUID id) {
    SessionRow session = get(tenant, id);
    sessions.setDesiredState(id, false, clock.instant());
    telling("stop", id, () -> transport.close(session.info().ref()));
    return get(tenant, id);
  }

  /** Stop and start again; the pairing is kept. */
  SessionRow restart(TenantId tenant, UUID id) {
    SessionRow session = get(tenant, id);
    sessions.setDesiredState(id, true, clock.instant());
    telling("restart", id, () -> transport.close(session.info().ref()));
    opening("restart", id, () -> transport.open(get(tenant, id).info().ref()));
    return get(tenant, id);
  }

  /**
   * Opens the session on the transport; if that fails, records it as failed (so that the next start
   * opens it again instead of waiting on "starting") and answers 409.
   */
  private void opening(String action, UUID id, Runnable open) {
    try {
      open.run();
    } catch (TransportException e) {
      states.onTransportEvent(
          new TransportEvent.SessionStateChanged(
              SessionId.of(id),
              SessionState.FAILED,
              null,
              null,
              null,
              "the WhatsApp transport failed",
              clock.instant()));
      throw unavailable(action, id, e);
    }
  }

  /** A transport failure is answered 409 with what to do, never 500: the server is not at fault. */
  private static void telling(String action, UUID id, Runnable call) {
    try {
      call.run();
    } catch (TransportException e) {
      throw unavailable(action, id, e);
    }
  }

  /** The detail leaves the transport's own message (its URL) to the log. */
  private static ApiException unavailable(String action, UUID id, TransportException e) {
    log.warn("The WhatsApp transport could not {} session {}: {}", action, id, e.getMessage());
    return ApiException.conflict(
        "WhatsApp could not %s session '%s' right now; try again in a moment"
            .formatted(action, id));
  }

  /** The QR code to scan now; 409 unless the session waits for a scan. */
  String qrCode(TenantId tenant, UUID id) {
    SessionRow session = get(tenant, id);
    if (!session.info().status().awaitsPairing()) {
      throw new IllegalTransitionException(
          "Session '%s' is %s: a QR code exists only while it waits for a scan (status qr_code);"
                  .formatted(id, session.info().status().value())
              + " start it first");
    }
    try {
      return transport.qrCode(session.info().ref());
    } catch (TransportException e) {
      if (session.qrCode() != null) {
        return session.qrCode();
      }
      throw ApiException.conflict("No QR code available yet: " + e.getMessage());
    }
  }

  String pairingCode(TenantId tenant, UUID id, String phoneNumber) {
    SessionRow session = get(tenant, id);
    if (!transport.capabilities().pairingCode()) {
      throw ApiException.conflict("This WhatsApp transport cannot pair by code; scan the QR code");
    }
    if (!session.info().status().awaitsPairing()) {
      throw new IllegalTransitionException(
          "Session '%s' is %s: start it and request the code while it waits for pairing"
              .formatted(id, session.info().status().value()));
    }
    try {
      return transport.requestPairingCode(session.info().ref(), phoneNumber);
    } catch (TransportException e) {
      throw ApiException.conflict("WhatsApp refused the pairing code: " + e.getMessage());
    }
  }

  /** Unlink the phone; the next start shows a new QR code. */
  SessionRow logout(TenantId tenant, UUID id) {
    SessionRow session = get(tenant, id);
    sessions.setDesiredState(id, false, clock.instant());
    telling("log out", id, () -> transport.logout(session.info().ref()));
    sessions.forgetPairing(id, clock.instant());
    return get(tenant, id);
  }

  /**
   * Deletes the session on the transport, then here. The transport call runs outside any
   * transaction: a slow WhatsApp must not hold a database connection for its whole timeout.
   */
  void delete(TenantId tenant, UUID id) {
    SessionRow session = get(tenant, id);
    sessions.setDesiredState(id, false, clock.instant());
    telling("delete", id, () -> transport.delete(session.info().ref()));
    transaction.executeWithoutResult(status -> {
      sessions.delete(id);
      events.publishEvent(new SessionDeleted(tenant, SessionId.of(id), clock.instant()));
    });
    identities.forget(id);
  }
}
