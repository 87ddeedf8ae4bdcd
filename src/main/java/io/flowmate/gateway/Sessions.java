package io.flowmate.gateway;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/** What other modules may ask about sessions. */
@Service
public class Sessions {

  /** How long {@link #identify} may answer from memory. */
  private static final Duration IDENTITY_TTL = Duration.ofSeconds(5);

  private static final int IDENTITIES_KEPT = 10_000;
  private static final int LIST_PAGE = 100;

  private final SessionRepository sessions;
  private final Clock clock;
  private final Map<SessionId, Identified> identities = new ConcurrentHashMap<>();

  private record Identified(SessionInfo session, Instant until) {}

  Sessions(SessionRepository sessions, Clock clock) {
    this.sessions = sessions;
    this.clock = clock;
  }

  /**
   * The session an event belongs to, as it was a few seconds ago at most: for hot paths (every
   * incoming webhook) that need its tenant and number, not its current status. Use {@link
   * #findById} for the status.
   */
  public Optional<SessionInfo> identify(SessionId sessionId) {
    Instant now = clock.instant();
    Identified known = identities.get(sessionId);
    if (known != null && known.until().isAfter(now)) {
      return Optional.of(known.session());
    }
    Optional<SessionInfo> found = findById(sessionId);
    if (identities.size() >= IDENTITIES_KEPT) {
      identities.clear();
    }
    found.ifPresentOrElse(
        session -> identities.put(sessionId, new Identified(session, now.plus(IDENTITY_TTL))),
        () -> identities.remove(sessionId));
    return found;
  }

  /** A deleted session is not identified any more. */
  void forget(UUID sessionId) {
    identities.remove(SessionId.of(sessionId));
  }

  public Optional<SessionInfo> find(TenantId tenant, SessionId sessionId) {
    return sessions.find(tenant, sessionId.value()).map(SessionRepository.SessionRow::info);
  }

  /** By id alone: for transport events, which know the session but not the tenant. */
  public Optional<SessionInfo> findById(SessionId sessionId) {
    return sessions.findById(sessionId.value()).map(SessionRepository.SessionRow::info);
  }

  /** All of the tenant's sessions, oldest first (plans allow a handful, so no paging). */
  public List<SessionInfo> list(TenantId tenant) {
    List<SessionInfo> all = new ArrayList<>();
    for (int offset = 0; ; offset += LIST_PAGE) {
      List<SessionRepository.SessionRow> page = sessions.list(tenant, LIST_PAGE, offset);
      page.forEach(row -> all.add(row.info()));
      if (page.size() < LIST_PAGE) {
        return all;
      }
    }
  }

  /** All of the tenant's sessions with the time each entered its status, oldest session first. */
  public List<SessionStanding> standings(TenantId tenant) {
    List<SessionStanding> all = new ArrayList<>();
    for (int offset = 0; ; offset += LIST_PAGE) {
      List<SessionRepository.SessionRow> page = sessions.list(tenant, LIST_PAGE, offset);
      page.forEach(row ->
          all.add(
              new SessionStanding(
                  row.info(), row.statusChangedAt(), row.shouldRun(), row.failureReason())));
      if (page.size() < LIST_PAGE) {
        return all;
      }
    }
  }

  /** The tenant's session, or 404 (another tenant's session looks the same as none). */
  public SessionInfo get(TenantId tenant, SessionId sessionId) {
    return find(tenant, sessionId).orElseThrow(() -> ApiException.notFound("Session", sessionId));
  }
}
