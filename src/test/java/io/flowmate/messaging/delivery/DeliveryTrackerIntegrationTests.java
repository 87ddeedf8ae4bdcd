package io.flowmate.messaging.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.spi.TransportEvent.Ack;
import io.flowmate.gateway.spi.TransportEvent.DeliveryChanged;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Acks from WhatsApp race the dispatcher's "sent" record. Whatever the interleaving, an ack is
 * applied once the record exists, and acks never move a message backwards.
 */
class DeliveryTrackerIntegrationTests extends IntegrationTest {

  @Autowired DeliveryTracker tracker;
  @Autowired JdbcClient jdbc;

  @Test
  void anAckParkedAfterTheSentRecordCommittedIsStillApplied() {
    TestTenant tenant = newTenant();
    UUID session = UUID.fromString(tenant.workingSession());
    UUID message = claimedMessage(tenant, session);

    // WhatsApp's ack overtakes the record: nothing to move yet, so it is parked.
    tracker.onTransportEvent(
        new DeliveryChanged(SessionId.of(session), "wa-early", Ack.READ, null, Instant.now()));
    tracker.flush();
    assertThat(status(message)).isEqualTo("sending");

    // The record commits without collecting parked acks: the crossing the tracker must survive.
    jdbc.sql(
            "UPDATE messaging_message SET status = 'sent', wa_message_id = 'wa-early' WHERE id = :id")
        .param("id", message)
        .update();

    await().atMost(Duration.ofSeconds(5)).until(() -> "read".equals(status(message)));
  }

  @Test
  void aLateAckNeverMovesAMessageBackwards() {
    TestTenant tenant = newTenant();
    UUID session = UUID.fromString(tenant.workingSession());
    UUID message = claimedMessage(tenant, session);
    jdbc.sql(
            "UPDATE messaging_message SET status = 'sent', wa_message_id = 'wa-late' WHERE id = :id")
        .param("id", message)
        .update();

    tracker.onTransportEvent(
        new DeliveryChanged(SessionId.of(session), "wa-late", Ack.READ, null, Instant.now()));
    tracker.flush();
    tracker.onTransportEvent(
        new DeliveryChanged(SessionId.of(session), "wa-late", Ack.DEVICE, null, Instant.now()));
    tracker.flush();

    assertThat(status(message)).isEqualTo("read");
    assertThat(
            jdbc.sql("SELECT delivered_at IS NOT NULL FROM messaging_message WHERE id = :id")
                .param("id", message)
                .query(Boolean.class)
                .single())
        .as("reading implies delivery")
        .isTrue();
  }

  /** A message the dispatcher has claimed and is handing over: no WhatsApp id yet. */
  private UUID claimedMessage(TestTenant tenant, UUID session) {
    UUID id = Ids.newId();
    jdbc.sql(
            """
            INSERT INTO messaging_message (id, tenant_id, session_id, chat_id, direction, source,
              message_type, body, payload, status, attempts, lease_until, idempotency_key,
              created_at, updated_at)
            VALUES (:id, :tenant, :session, '4915100000031@c.us', 'outbound', 'api', 'text',
              'Your table is ready', '{}'::jsonb, 'sending', 1, now() + interval '1 hour', :key,
              now(), now())
            """)
        .param("id", id)
        .param("tenant", tenant.id())
        .param("session", session)
        .param("key", id.toString())
        .update();
    return id;
  }

  private String status(UUID message) {
    return jdbc.sql("SELECT status FROM messaging_message WHERE id = :id")
        .param("id", message)
        .query(String.class)
        .single();
  }
}
