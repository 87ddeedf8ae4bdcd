package io.flowmate.admin.apikey;

import static io.flowmate.core.db.Sql.strings;
import static io.flowmate.core.db.Sql.timestamp;

import io.flowmate.admin.AdminSettings;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Short-lived, single-use tickets that open one live event stream. EventSource cannot send headers,
 * so a stream is opened with {@code ?ticket=}: what a proxy log keeps is then a secret that has
 * already been used or expires within a minute, never the API key. Stored in PostgreSQL (only as
 * SHA-256 hashes) so that any instance behind a load balancer can redeem a ticket another made.
 */
@Component
class StreamTickets {

  static final String PREFIX = "fmt_";

  /** What a ticket stands for: the key that made it, as it was then. */
  record Ticket(TenantId tenantId, UUID apiKeyId, Set<String> scopes, Instant expiresAt) {}

  record IssuedTicket(String value, Instant expiresAt) {}

  private final JdbcClient jdbc;
  private final AdminSettings settings;
  private final Clock clock;

  StreamTickets(JdbcClient jdbc, AdminSettings settings, Clock clock) {
    this.jdbc = jdbc;
    this.settings = settings;
    this.clock = clock;
  }

  IssuedTicket issue(TenantId tenant, UUID apiKeyId, Set<String> scopes) {
    Instant now = clock.instant();
    forgetExpired(now);
    String value = PREFIX + RawApiKey.generate().value().substring(RawApiKey.PREFIX.length());
    Instant expiresAt = now.plus(settings.streamTicketTtl());
    // One statement counts and inserts, so a burst of requests cannot pass the cap one by one.
    int inserted =
        jdbc.sql(
                """
                INSERT INTO admin_stream_ticket (ticket_hash, tenant_id, api_key_id, scopes, expires_at)
                SELECT :hash, :tenant, :key, :scopes, :expiresAt
                WHERE (SELECT count(*) FROM admin_stream_ticket
                       WHERE api_key_id = :key AND expires_at > :now) < :max
                """)
            .param("hash", RawApiKey.sha256(value))
            .param("tenant", tenant.value())
            .param("key", apiKeyId)
            .param("scopes", scopes.stream().sorted().toArray(String[]::new))
            .param("expiresAt", timestamp(expiresAt))
            .param("now", timestamp(now))
            .param("max", settings.streamTicketsPerKey())
            .update();
    if (inserted == 0) {
      throw new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          "This key holds %d unused stream tickets: use them or let them expire (%d s) first"
              .formatted(settings.streamTicketsPerKey(), settings.streamTicketTtl().toSeconds()));
    }
    return new IssuedTicket(value, expiresAt);
  }

  /** The ticket, used up by this call, when it exists and has not expired. */
  Optional<Ticket> redeem(String value) {
    if (value == null || !value.startsWith(PREFIX)) {
      return Optional.empty();
    }
    // DELETE ... RETURNING: of two instances redeeming the same ticket at once, exactly one gets
    // it.
    return jdbc.sql(
            """
            DELETE FROM admin_stream_ticket WHERE ticket_hash = :hash
            RETURNING tenant_id, api_key_id, scopes, expires_at
            """)
        .param("hash", RawApiKey.sha256(value))
        .query((rs, row) ->
            new Ticket(
                TenantId.of(rs.getObject("tenant_id", UUID.class)),
                rs.getObject("api_key_id", UUID.class),
                new HashSet<>(strings(rs, "scopes")),
                rs.getTimestamp("expires_at").toInstant()))
        .optional()
        .filter(ticket -> ticket.expiresAt().isAfter(clock.instant()));
  }

  /** A rotated or revoked key's tickets die with its secret. */
  void forgetKey(UUID apiKeyId) {
    jdbc.sql("DELETE FROM admin_stream_ticket WHERE api_key_id = :key")
        .param("key", apiKeyId)
        .update();
  }

  private void forgetExpired(Instant now) {
    jdbc.sql("DELETE FROM admin_stream_ticket WHERE expires_at <= :now")
        .param("now", timestamp(now))
        .update();
  }
}
