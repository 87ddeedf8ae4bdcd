package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Flowmate with the simulator stopped and started again on the same database: the new simulator
 * hands out WhatsApp ids that none of the stored messages holds, so what is sent after the restart
 * is recorded (none stays queued) and what arrives is stored (none is dropped as a repeat).
 */
class SimulatorRestartIntegrationTests {

  private static final String CONTACT = "4915100000031";
  private static final String CHAT = CONTACT + "@c.us";
  private static final int EACH_WAY = 3;

  private final TestDatabase.Coordinates database = TestDatabase.newDatabase();

  @Test
  void idsOfTheNextStartCollideWithNoStoredMessage() {
    String key;
    String session;
    List<String> sentIds = new ArrayList<>();
    List<String> receivedIds = new ArrayList<>();
    try (AppInstance first = AppInstance.start(database)) {
      Api.Response tenant =
          first
              .operator()
              .post("/api/v2/admin/tenants", Map.of("name", "sim-restart", "plan", "business"));
      key = tenant.text("admin_api_key");
      Api api = first.api(key);
      api.patch("/api/v2/tenant/settings", Map.of("reciprocity_check", false));
      session = api.post("/api/v2/sessions", Map.of("name", "phone")).text("id");
      api.post("/api/v2/sessions/" + session + "/start");
      awaitWorking(api, session);

      exchange(api, session, "before", sentIds, receivedIds);
      awaitSettled(first, session, EACH_WAY, EACH_WAY);
    }

    try (AppInstance second = AppInstance.start(database)) {
      Api api = second.api(key);
      awaitWorking(api, session);

      exchange(api, session, "after", sentIds, receivedIds);

      awaitSettled(second, session, 2 * EACH_WAY, 2 * EACH_WAY);
      JdbcClient jdbc = second.bean(JdbcClient.class);
      List<String> stored =
          jdbc.sql(
                  "SELECT wa_message_id FROM messaging_message WHERE session_id = :session"
                      + " AND chat_id = :chat")
              .param("session", UUID.fromString(session))
              .param("chat", CHAT)
              .query(String.class)
              .list();
      assertThat(stored).hasSize(4 * EACH_WAY).doesNotHaveDuplicates().doesNotContainNull();
      assertThat(Set.copyOf(stored)).containsAll(receivedIds);
      assertThat(sentIds).hasSize(2 * EACH_WAY);
      for (String id : sentIds) {
        assertThat(api.get("/api/v2/messages/" + id).text("wa_message_id"))
            .as("WhatsApp-like, unchanged")
            .matches("true_" + CHAT + "_3EB0[0-9A-F]{28}");
      }
    }
  }

  /** The number sends the contact three texts and the contact writes three. */
  private static void exchange(
      Api api, String session, String run, List<String> sentIds, List<String> receivedIds) {
    for (int i = 1; i <= EACH_WAY; i++) {
      Api.Response sent =
          api.post(
              "/api/v2/messages/send",
              Map.of(
                  "session_id", session, "chat_id", CONTACT, "message", "Ours " + run + " " + i));
      assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
      sentIds.add(sent.text("id"));
      Api.Response received =
          api.post(
              "/api/v2/simulator/sessions/" + session + "/inbound",
              Map.of("from", CONTACT, "message", "Theirs " + run + " " + i));
      assertThat(received.status()).as(received.toString()).isEqualTo(202);
      receivedIds.add(received.text("wa_message_id"));
    }
  }

  /** Every message we sent has left and every one the contact wrote is stored. */
  private static void awaitSettled(AppInstance app, String session, int sent, int received) {
    JdbcClient jdbc = app.bean(JdbcClient.class);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> {
          Map<String, Long> byStatus = new java.util.TreeMap<>();
          jdbc.sql(
                  "SELECT status, count(*) AS n FROM messaging_message WHERE session_id = :session"
                      + " AND chat_id = :chat GROUP BY status")
              .param("session", UUID.fromString(session))
              .param("chat", CHAT)
              .query((rs, row) -> byStatus.put(rs.getString("status"), rs.getLong("n")))
              .list();
          assertThat(byStatus).doesNotContainKeys("queued", "sending", "failed");
          assertThat(byStatus.getOrDefault("received", 0L)).isEqualTo(received);
          assertThat(
                  byStatus.getOrDefault("sent", 0L)
                      + byStatus.getOrDefault("delivered", 0L)
                      + byStatus.getOrDefault("read", 0L))
              .isEqualTo(sent);
        });
  }

  private static void awaitWorking(Api api, String session) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> "working".equals(api.get("/api/v2/sessions/" + session).text("status")));
  }
}
