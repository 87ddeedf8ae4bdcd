package io.flowmate.messaging;

import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest.TestTenant;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a dispatcher that dies between claiming a message and recording the outcome leaves in the
 * outbox, made on purpose: the message stays {@code sending}, its attempt counted, under a claim
 * nobody will finish.
 */
final class LeftBehindClaims {

  private final JdbcClient jdbc;

  LeftBehindClaims(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Queues a text through the stopped session (so the live dispatcher cannot send it), turns its
   * row into a claim held for an hour, and starts the session again; answers the message id.
   */
  String claimedByADeadDispatcher(TestTenant tenant, String session, String chat, String text) {
    tenant.api().post("/api/v2/sessions/" + session + "/stop");
    tenant.awaitSessionStatus(session, "stopped");
    Api.Response sent =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", chat, "message", text));
    String id = sent.text("id");
    // Let the live dispatcher try first and give up (the session is stopped) before we step in.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            String.valueOf(tenant.api().get("/api/v2/messages/" + id).text("failure_reason"))
                .contains("waiting for session"));
    jdbc.sql(
            "UPDATE messaging_message SET status = 'sending', attempts = 1,"
                + " lease_until = now() + interval '1 hour' WHERE id = :id")
        .param("id", UUID.fromString(id))
        .update();
    tenant.api().post("/api/v2/sessions/" + session + "/start");
    tenant.awaitSessionStatus(session, "working");
    return id;
  }

  /** The claim ran out a second ago, so the next sweep recovers the message. */
  void lapse(String messageId) {
    jdbc.sql(
            "UPDATE messaging_message SET lease_until = now() - interval '1 second' WHERE id = :id")
        .param("id", UUID.fromString(messageId))
        .update();
  }
}
