package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The send governor wired into the dispatcher, on a clock the test moves: pacing with randomised
 * gaps, typing before sending, quiet hours, the 463 reach-out timelock, and a banned number.
 */
@Import(MutableClock.Config.class)
@TestPropertySource(
    properties = {
      "flowmate.messaging.governor.pacing=true",
      "flowmate.messaging.governor.typing.enabled=true",
      "flowmate.messaging.governor.typing.min=5ms",
      "flowmate.messaging.governor.typing.max=20ms",
      "flowmate.messaging.governor.typing.per-character=1ms",
      "flowmate.admin.api-rate-limit-enabled=false"
    })
class SendGovernorIntegrationTests extends IntegrationTest {

  @Autowired MutableClock clock;

  @Test
  void sendsOfOneNumberAreSpacedByRandomisedGaps() {
    TestTenant tenant = newTenant("free").allowingColdMessages();
    String session = tenant.workingSession();

    List<String> ids =
        List.of("4915100000301", "4915100000302", "4915100000303").stream()
            .map(chat -> send(tenant, session, chat, "Spring sale starts today").text("id"))
            .toList();

    tenant.awaitMessageStatus(ids.get(0), "read");
    awaitReason(tenant, ids.get(1), "spacing sends");
    awaitReason(tenant, ids.get(2), "spacing sends");
    assertThat(tenant.deliveredTexts(session)).hasSize(1);

    clock.advance(Duration.ofSeconds(10));
    tenant.awaitMessageStatus(ids.get(1), "read");
    clock.advance(Duration.ofSeconds(10));
    tenant.awaitMessageStatus(ids.get(2), "read");

    Instant first = sentAt(tenant, ids.get(0));
    Instant second = sentAt(tenant, ids.get(1));
    assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theChatIsMarkedReadAndTypingShownBeforeATextLeaves() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    tenant.contactWrites(session, "4915100000311", "Is the bike still for sale?");
    await().atMost(Duration.ofSeconds(5)).until(() -> chatHasUnread(tenant, session));

    String id = send(tenant, session, "4915100000311", "Yes, 120 EUR").text("id");
    tenant.awaitMessageStatus(id, "read");

    JsonNode activities =
        tenant.api().get("/api/v2/simulator/sessions/" + session + "/activities").json();
    assertThat(activities.findValuesAsText("action")).containsExactly("seen", "typing", "paused");
  }

  @Test
  void quietHoursHoldMessagesUntilMorningInTheTenantsZone() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    clock.set(Instant.parse("2026-11-24T22:30:00Z"));
    tenant
        .api()
        .patch(
            "/api/v2/tenant/settings",
            Map.of(
                "timezone",
                "Europe/Lisbon",
                "quiet_hours_start",
                "21:00",
                "quiet_hours_end",
                "08:00"));

    String id = send(tenant, session, "4915100000321", "Good morning!").text("id");
    awaitReason(tenant, id, "quiet hours until 2026-11-25T08:00:00Z");

    clock.set(Instant.parse("2026-11-25T08:00:05Z"));
    tenant.awaitMessageStatus(id, "read");
  }

  @Test
  void afterError463NewContactsWaitWhileKnownOnesStillGetMessages() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();
    tenant.contactWrites(session, "4915100000331", "Hello, I wrote first");
    await().atMost(Duration.ofSeconds(5)).until(() -> chatHasUnread(tenant, session));
    tenant
        .api()
        .post(
            "/api/v2/simulator/sessions/" + session + "/faults",
            Map.of("reachout_lock_minutes", 60));

    String refused = send(tenant, session, "4915100000332", "Cold hello").text("id");
    tenant.awaitMessageStatus(refused, "failed");
    String waiting = send(tenant, session, "4915100000333", "Another cold hello").text("id");
    clock.advance(Duration.ofMinutes(1));
    String known = send(tenant, session, "4915100000331", "Thanks for writing!").text("id");

    assertThat(tenant.api().get("/api/v2/messages/" + refused).text("failure_reason"))
        .contains("error 463");
    awaitReason(tenant, waiting, "reach-out timelock (error 463)");
    clock.advance(Duration.ofMinutes(1));
    tenant.awaitMessageStatus(known, "read");
    assertThat(tenant.api().get("/api/v2/messages/" + waiting).text("status")).isEqualTo("queued");
  }

  @Test
  void aBannedNumberStopsAndSendsNothing() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();

    tenant.api().post("/api/v2/simulator/sessions/" + session + "/faults", Map.of("ban", true));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> "failed".equals(tenant.api().get("/api/v2/sessions/" + session).text("status")));
    Api.Response sessionView = tenant.api().get("/api/v2/sessions/" + session);
    String id = send(tenant, session, "4915100000341", "Anyone there?").text("id");

    assertThat(sessionView.text("failure_reason")).contains("logged out");
    assertThat(sessionView.text("phone_number")).isNull();
    awaitReason(tenant, id, "waiting for session to be working");
    assertThat(tenant.deliveredTexts(session)).isEmpty();
  }

  private static Api.Response send(TestTenant tenant, String session, String chat, String text) {
    Api.Response response =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", chat, "message", text));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response;
  }

  private static void awaitReason(TestTenant tenant, String id, String reason) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() ->
            assertThat(tenant.api().get("/api/v2/messages/" + id).text("failure_reason"))
                .contains(reason));
  }

  private static Instant sentAt(TestTenant tenant, String id) {
    return Instant.parse(tenant.api().get("/api/v2/messages/" + id).text("sent_at"));
  }

  private static boolean chatHasUnread(TestTenant tenant, String session) {
    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    JsonNode chats = tenant.api().get("/api/v2/messages/chats/" + session).json().get("items");
    return chats.size() > 0 && chats.get(0).get("unread_count").asInt() > 0;
  }
}
