package io.flowmate.admin.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.admin.AdminSettings;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stream tickets expire, are used once, and a key cannot hoard them; on the test database, with a
 * clock of the test's own (the application's context is shared with other tests).
 */
class StreamTicketsTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T18:00:00Z"));
  private StreamTickets tickets;

  @BeforeEach
  void tickets() {
    tickets =
        new StreamTickets(
            jdbc,
            new AdminSettings(null, "Default", null, true, Duration.ofSeconds(60), 3, false),
            clock);
  }

  private final TenantId tenant = TenantId.of(UUID.randomUUID());
  private final UUID key = UUID.randomUUID();

  /** A ticket found in a log after its minute is over opens nothing. */
  @Test
  void anExpiredTicketIsRefused() {
    String ticket = tickets.issue(tenant, key, Set.of("sessions:read")).value();

    clock.advance(Duration.ofSeconds(61));

    assertThat(tickets.redeem(ticket)).isEmpty();
  }

  @Test
  void aTicketIsRedeemedOnceWithWhatItCarries() {
    String ticket = tickets.issue(tenant, key, Set.of("sessions:read")).value();

    assertThat(ticket).startsWith("fmt_");
    assertThat(tickets.redeem(ticket))
        .hasValueSatisfying(t -> assertThat(t.scopes()).containsExactly("sessions:read"));
    assertThat(tickets.redeem(ticket)).isEmpty();
  }

  /** A key mints tickets without end to fill the server's memory. */
  @Test
  void aKeyHoldsABoundedNumberOfUnusedTickets() {
    for (int i = 0; i < 3; i++) {
      tickets.issue(tenant, key, Set.of("sessions:read"));
    }

    assertThatThrownBy(() -> tickets.issue(tenant, key, Set.of("sessions:read")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("unused stream tickets");
    clock.advance(Duration.ofSeconds(61));
    assertThat(tickets.issue(tenant, key, Set.of("sessions:read")).value()).isNotBlank();
  }

  /** A ticket made before its key was rotated outlives the old secret. */
  @Test
  void rotatingOrRevokingAKeyForgetsItsTickets() {
    String ticket = tickets.issue(tenant, key, Set.of("sessions:read")).value();

    tickets.forgetKey(key);

    assertThat(tickets.redeem(ticket)).isEmpty();
  }

  /**
   * Two instances behind a load balancer: a ticket made by one opens a stream on the other, once.
   */
  @Test
  void aTicketMadeOnOneInstanceIsRedeemedOnAnotherOnce() {
    StreamTickets otherInstance =
        new StreamTickets(
            jdbc,
            new AdminSettings(null, "Default", null, true, Duration.ofSeconds(60), 3, false),
            clock);
    String ticket = tickets.issue(tenant, key, Set.of("messages:read")).value();

    assertThat(otherInstance.redeem(ticket))
        .hasValueSatisfying(t -> assertThat(t.apiKeyId()).isEqualTo(key));
    assertThat(tickets.redeem(ticket)).isEmpty();
  }
}
