package io.flowmate.admin;

import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Short-lived, single-use tickets that open one live event stream. EventSource cannot send
 * headers, so a stream is opened with {@code ?ticket=}: what a proxy log keeps is then a secret that
 * has already been used or expires within a minute, never the API key. Kept in memory, like the
 * streams themselves, and only as SHA-256 hashes.
 */
@Component
class StreamTickets {

  static final String PREFIX = "fmt_";

  /** What a ticket stands for: the key that made it, as it was then. */
  record Ticket(TenantId tenantId, UUID apiKeyId, Set<String> scopes, Instant expiresAt) {}

  record IssuedTicket(String value, Instant expiresAt) {}

  private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
  private final AdminSettings settings;
  private final Clock clock;

  StreamTickets(AdminSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  IssuedTicket issue(TenantId tenant, UUID apiKeyId, Set<String> scopes) {
    Instant now = clock.instant();
    forgetExpired(now);
    long held = tickets.values().stream().filter(t -> t.apiKeyId().equals(apiKeyId)).count();
    if (held >= settings.streamTicketsPerKey()) {
      throw new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          "This key holds %d unused stream tickets: use them or let them expire (%d s) first"
              .formatted(held, settings.streamTicketTtl().toSeconds()));
    }
    String value = PREFIX + RawApiKey.generate().value().substring(RawApiKey.PREFIX.length());
    Instant expiresAt = now.plus(settings.streamTicketTtl());
    tickets.put(hash(value), new Ticket(tenant, apiKeyId, scopes, expiresAt));
    return new IssuedTicket(value, expiresAt);
  }

  /** The ticket, used up by this call, when it exists and has not expired. */
  Optional<Ticket> redeem(String value) {
    if (value == null || !value.startsWith(PREFIX)) {
      return Optional.empty();
    }
    Ticket ticket = tickets.remove(hash(value));
    return Optional.ofNullable(ticket).filter(t -> t.expiresAt().isAfter(clock.instant()));
  }

  /** A rotated or revoked key's tickets die with its secret. */
  void forgetKey(UUID apiKeyId) {
    tickets.values().removeIf(t -> t.apiKeyId().equals(apiKeyId));
  }

  private void forgetExpired(Instant now) {
    tickets.values().removeIf(t -> !t.expiresAt().isAfter(now));
  }

  private static String hash(String value) {
    return HexFormat.of().formatHex(RawApiKey.sha256(value));
  }
}
