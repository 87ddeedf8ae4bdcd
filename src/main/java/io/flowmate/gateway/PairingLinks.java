package io.flowmate.gateway;

import io.flowmate.core.TenantId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Short-lived links to the pairing page, so that the person holding the phone can scan the QR code
 * in a browser without ever seeing an API key. A link opens one session's page, for 15 minutes.
 */
@Component
class PairingLinks {

  static final Duration LIFETIME = Duration.ofMinutes(15);

  record Link(String token, UUID sessionId, TenantId tenantId, Instant expiresAt) {}

  private final Map<String, Link> links = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  PairingLinks(Clock clock) {
    this.clock = clock;
  }

  Link create(TenantId tenant, UUID sessionId) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    links.values().removeIf(link -> link.expiresAt().isBefore(now));
    Link link = new Link(token, sessionId, tenant, now.plus(LIFETIME));
    links.put(token, link);
    return link;
  }

  /** The link behind the token, if it opens this session and has not expired. */
  Optional<Link> resolve(String token, UUID sessionId) {
    if (token == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(links.get(token))
        .filter(link -> link.sessionId().equals(sessionId))
        .filter(link -> link.expiresAt().isAfter(clock.instant()));
  }
}
