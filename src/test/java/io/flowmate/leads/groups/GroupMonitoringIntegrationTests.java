package io.flowmate.leads.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The monitored-groups API over HTTP on PostgreSQL with the simulated WhatsApp: start, list,
 * change, pause and stop monitoring; the checks (group of the number, duplicates, modes, keyword
 * limits), the plan's cap and AI gate, available groups by activity, a group's messages page by
 * page, scopes and tenant isolation.
 */
class GroupMonitoringIntegrationTests extends IntegrationTest {

  static final String GROUPS = "/api/v2/groups";

  static Api.Response monitor(
      Api api, String session, String waGroup, Map<String, Object> settings) {
    Map<String, Object> body = new HashMap<>(settings);
    body.put("session_id", session);
    body.put("wa_group_id", waGroup);
    return api.post(GROUPS, body);
  }

  static String monitored(
      TestTenant tenant, String session, String waGroup, Map<String, Object> settings) {
    Api.Response created = monitor(tenant.api(), session, waGroup, settings);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  @Test
  void aGroupIsMonitoredChangedPausedAndStoppedWithTheReferenceFields() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String lisbon =
        tenant.simulatedGroup(session, "Lisbon flats", "4915100001001", "4915100001002");

    Api.Response created =
        monitor(
            tenant.api(),
            session,
            lisbon,
            Map.of(
                "monitor_mode", "keyword",
                "monitor_keywords", List.of(" budget ", "bedrooms", "Budget!", "looking for"),
                "auto_respond", true,
                "response_template", "Hi! Happy to help with your search.",
                "webhook_url", "https://example.com/hooks/leads"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode group = created.json();
    assertThat(group.get("session_id").asText()).isEqualTo(session);
    assertThat(group.get("wa_group_id").asText()).isEqualTo(lisbon);
    assertThat(group.get("name").asText()).isEqualTo("Lisbon flats");
    assertThat(group.get("is_active").asBoolean()).isTrue();
    assertThat(group.get("monitor_mode").asText()).isEqualTo("keywords");
    assertThat(group.get("monitor_keywords"))
        .extracting(JsonNode::asText)
        .containsExactly("budget", "bedrooms", "looking for");
    assertThat(group.get("auto_respond").asBoolean()).isTrue();
    assertThat(group.get("response_template").asText()).startsWith("Hi!");
    assertThat(group.get("webhook_url").asText()).isEqualTo("https://example.com/hooks/leads");
    assertThat(group.get("auto_label_leads").asBoolean()).isFalse();
    assertThat(group.get("lead_label_id").isNull()).isTrue();
    assertThat(group.get("monitor_prompt").isNull()).isTrue();
    assertThat(group.get("leads_detected").asLong()).isZero();
    assertThat(group.get("messages_processed").asLong()).isZero();
    assertThat(group.get("created_at").asText()).isNotBlank();
    String id = group.get("id").asText();

    assertThat(tenant.api().get(GROUPS + "/" + id).json()).isEqualTo(group);
    Api.Response list = tenant.api().get(GROUPS);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("total").asLong()).isEqualTo(1);
    assertThat(list.json().get("items").get(0)).isEqualTo(group);

    Api.Response twice = monitor(tenant.api(), session, lisbon, Map.of());
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.text("detail")).contains(id);

    Api.Response paused =
        tenant
            .api()
            .patch(
                GROUPS + "/" + id,
                Map.of(
                    "is_active", false, "monitor_keywords", List.of("viewing"), "name", "Lisbon"));
    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.json().get("is_active").asBoolean()).isFalse();
    assertThat(paused.json().get("name").asText()).isEqualTo("Lisbon");
    assertThat(paused.json().get("monitor_keywords"))
        .extracting(JsonNode::asText)
        .containsExactly("viewing");
    assertThat(paused.json().get("monitor_mode").asText()).isEqualTo("keywords");
    assertThat(paused.json().get("webhook_url").asText())
        .isEqualTo("https://example.com/hooks/leads");
    Api.Response cleared =
        tenant
            .api()
            .patch(GROUPS + "/" + id, Map.of("webhook_url", "", "monitor_mode", "first_message"));
    assertThat(cleared.json().get("webhook_url").isNull()).isTrue();
    assertThat(cleared.json().get("monitor_mode").asText()).isEqualTo("first_message");
    assertThat(
            tenant
                .api()
                .patch(
                    GROUPS + "/" + id,
                    Map.of("monitor_mode", "keywords", "monitor_keywords", List.of()))
                .status())
        .isEqualTo(422);
    assertThat(tenant.api().patch(GROUPS + "/" + id, Map.of("wa_group_id", lisbon)).status())
        .isEqualTo(422);

    assertThat(tenant.api().delete(GROUPS + "/" + id).status()).isEqualTo(204);
    assertThat(tenant.api().get(GROUPS + "/" + id).status()).isEqualTo(404);
    assertThat(tenant.api().delete(GROUPS + "/" + id).status()).isEqualTo(404);
    assertThat(tenant.api().get(GROUPS).json().get("total").asLong()).isZero();
    // Stopped monitoring can start again.
    assertThat(monitor(tenant.api(), session, lisbon, Map.of()).json().get("monitor_mode").asText())
        .isEqualTo("first_message");
  }

  @Test
  void invalidRequestsAreRefusedWithAReason() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String group = tenant.simulatedGroup(session, "Validation", "4915100001101");
    Api api = tenant.api();

    assertThat(api.post(GROUPS, Map.of("wa_group_id", group)).text("detail"))
        .contains("session_id is required");
    assertThat(api.post(GROUPS, Map.of("session_id", session)).text("detail"))
        .contains("wa_group_id is required");
    assertThat(monitor(api, session, "4915100001101@c.us", Map.of()).text("detail"))
        .contains("is not a WhatsApp group id");
    Api.Response notMember = monitor(api, session, "120363999999999999@g.us", Map.of());
    assertThat(notMember.status()).isEqualTo(422);
    assertThat(notMember.text("detail"))
        .contains("is not in WhatsApp group")
        .contains("/groups/available/");
    Api.Response mode = monitor(api, session, group, Map.of("monitor_mode", "none"));
    assertThat(mode.status()).isEqualTo(422);
    assertThat(mode.text("detail")).contains("all, keywords, mentions, first_message, ai_analysis");
    assertThat(monitor(api, session, group, Map.of("monitor_mode", "keywords")).text("detail"))
        .contains("needs at least one keyword");
    List<String> tooMany = IntStream.range(0, 51).mapToObj(i -> "word" + i).toList();
    assertThat(
            monitor(
                    api,
                    session,
                    group,
                    Map.of("monitor_mode", "keywords", "monitor_keywords", tooMany))
                .text("detail"))
        .contains("at most 50 keywords");
    assertThat(
            monitor(api, session, group, Map.of("monitor_keywords", List.of("x".repeat(101))))
                .text("detail"))
        .contains("longer than 100 characters");
    assertThat(
            monitor(api, session, group, Map.of("monitor_keywords", List.of("?!"))).text("detail"))
        .contains("has no letters or digits");
    assertThat(monitor(api, session, group, Map.of("monitor_keywords", List.of(" "))).status())
        .isEqualTo(422);
    assertThat(monitor(api, session, group, Map.of("auto_respond", true)).text("detail"))
        .contains("response_template");
    assertThat(
            monitor(api, session, group, Map.of("webhook_url", "ftp://example.com")).text("detail"))
        .contains("http(s) URL");
    assertThat(monitor(api, session, group, Map.of("name", "n".repeat(256))).status())
        .isEqualTo(422);
    assertThat(monitor(api, "00000000-0000-7000-8000-000000000000", group, Map.of()).status())
        .isEqualTo(404);
    assertThat(api.get(GROUPS + "?limit=0").status()).isEqualTo(422);
    assertThat(api.get(GROUPS).json().get("total").asLong()).isZero();

    String stopped = api.post("/api/v2/sessions", Map.of("name", "stopped")).text("id");
    assertThat(monitor(api, stopped, group, Map.of()).status()).isEqualTo(409);
    assertThat(api.get(GROUPS + "/available/" + stopped).status()).isEqualTo(409);
  }

  @Test
  void thePlanCapsMonitoredGroupsAndKeepsAiAnalysisForPlansWithAi() {
    TestTenant free = newTenant("free");
    String session = free.workingSession();
    String first = free.simulatedGroup(session, "First", "4915100001201");
    String second = free.simulatedGroup(session, "Second", "4915100001201");
    String third = free.simulatedGroup(session, "Third", "4915100001201");

    Api.Response ai = monitor(free.api(), session, first, Map.of("monitor_mode", "ai_analysis"));
    assertThat(ai.status()).isEqualTo(403);
    assertThat(ai.text("detail")).contains("ai_analysis").contains("Free");
    monitored(free, session, first, Map.of());
    String secondId = monitored(free, session, second, Map.of("monitor_mode", "all"));
    Api.Response capped = monitor(free.api(), session, third, Map.of());
    assertThat(capped.status()).isEqualTo(403);
    assertThat(capped.text("detail")).contains("at most 2 groups");
    assertThat(
            free.api().patch(GROUPS + "/" + secondId, Map.of("monitor_mode", "ai_prompt")).status())
        .isEqualTo(403);

    assertThat(free.api().delete(GROUPS + "/" + secondId).status()).isEqualTo(204);
    assertThat(monitor(free.api(), session, third, Map.of()).status()).isEqualTo(201);

    TestTenant business = newTenant("business");
    String businessSession = business.workingSession();
    String group = business.simulatedGroup(businessSession, "AI", "4915100001202");
    Api.Response analysed =
        monitor(business.api(), businessSession, group, Map.of("monitor_mode", "ai_prompt"));
    assertThat(analysed.status()).as(analysed.toString()).isEqualTo(201);
    assertThat(analysed.text("monitor_mode")).isEqualTo("ai_analysis");
  }

  /**
   * A deleted session's groups are no longer monitored and no longer count against the plan's cap.
   */
  @Test
  void deletingASessionStopsMonitoringItsGroupsAndFreesThePlansCap() {
    TestTenant free = newTenant("free");
    String session = free.workingSession();
    monitored(free, session, free.simulatedGroup(session, "One", "4915100001501"), Map.of());
    monitored(free, session, free.simulatedGroup(session, "Two", "4915100001501"), Map.of());
    String lead =
        free.api().post("/api/v2/leads", Map.of("contact_phone", "4915100001501")).text("id");

    assertThat(free.api().delete("/api/v2/sessions/" + session).status()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> free.api().get(GROUPS).json().get("total").asLong() == 0);

    String next = free.workingSession();
    assertThat(
            monitor(free.api(), next, free.simulatedGroup(next, "Three", "4915100001501"), Map.of())
                .status())
        .isEqualTo(201);
    assertThat(
            monitor(free.api(), next, free.simulatedGroup(next, "Four", "4915100001501"), Map.of())
                .status())
        .isEqualTo(201);
    assertThat(free.api().get("/api/v2/leads/" + lead).status()).as("leads stay").isEqualTo(200);
  }

  @Test
  void availableGroupsAreTheNumbersUnmonitoredGroupsBusiestFirst() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String quiet =
        tenant.simulatedGroup(
            session, "Quiet but big", "4915100001301", "4915100001302", "4915100001303");
    String busy = tenant.simulatedGroup(session, "Busy", "4915100001301");
    String watched = tenant.simulatedGroup(session, "Watched", "4915100001301");
    monitored(tenant, session, watched, Map.of());
    tenant.groupMessage(session, busy, "4915100001301", "first");
    tenant.groupMessage(session, busy, "4915100001301", "second");
    tenant.groupMessage(session, watched, "4915100001301", "monitored already");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          Api.Response available = tenant.api().get(GROUPS + "/available/" + session);
          assertThat(available.status()).as(available.toString()).isEqualTo(200);
          JsonNode items = available.json().get("items");
          assertThat(available.json().get("total").asInt()).isEqualTo(2);
          assertThat(items.get(0).get("wa_group_id").asText()).isEqualTo(busy);
          assertThat(items.get(0).get("name").asText()).isEqualTo("Busy");
          assertThat(items.get(0).get("messages_last_7_days").asLong()).isEqualTo(2);
          assertThat(items.get(0).get("last_message_at").asText()).isNotBlank();
          assertThat(items.get(0).get("member_count").asInt()).isEqualTo(2);
          assertThat(items.get(1).get("wa_group_id").asText()).isEqualTo(quiet);
          assertThat(items.get(1).get("member_count").asInt()).isEqualTo(4);
          assertThat(items.get(1).get("messages_last_7_days").asLong()).isZero();
          assertThat(items.get(1).get("last_message_at").isNull()).isTrue();
        });
    assertThat(
            tenant.api().get(GROUPS + "/available/00000000-0000-7000-8000-000000000000").status())
        .isEqualTo(404);
  }

  @Test
  void aGroupsMessagesArePagedNewestFirst() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String group = tenant.simulatedGroup(session, "Paged", "4915100001401");
    String id = monitored(tenant, session, group, Map.of("monitor_mode", "all"));
    for (int i = 1; i <= 3; i++) {
      tenant.groupMessage(session, group, "4915100001401", "message " + i);
      int sent = i;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() ->
              tenant.api().get(GROUPS + "/" + id).json().get("messages_processed").asLong()
                  == sent);
    }

    Api.Response gated = tenant.api().get(GROUPS + "/" + id + "/messages");
    assertThat(gated.status()).isEqualTo(403);
    assertThat(gated.text("detail")).contains("Chat history access requires opt-in");
    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));

    Api.Response first = tenant.api().get(GROUPS + "/" + id + "/messages?limit=2");
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(first.json().get("total").asLong()).isEqualTo(3);
    assertThat(first.json().get("limit").asInt()).isEqualTo(2);
    assertThat(first.json().get("offset").asInt()).isZero();
    assertThat(first.json().get("has_more").asBoolean()).isTrue();
    assertThat(texts(first)).containsExactly("message 3", "message 2");
    JsonNode item = first.json().get("items").get(0);
    assertThat(item.get("id").asText()).isNotBlank();
    assertThat(item.get("sender_phone").asText()).isEqualTo("4915100001401");
    assertThat(item.get("sender_name").asText()).isEqualTo("Sender 4915100001401");
    assertThat(item.get("wa_timestamp").asText()).isNotBlank();
    assertThat(item.at("/ai_analysis/intent").asText())
        .as("classified on reading (Business plan)")
        .isEqualTo("unknown");
    assertThat(item.at("/ai_analysis/lead_score").asInt()).isEqualTo(1);

    Api.Response last = tenant.api().get(GROUPS + "/" + id + "/messages?limit=2&offset=2");
    assertThat(texts(last)).containsExactly("message 1");
    assertThat(last.json().get("has_more").asBoolean()).isFalse();
    assertThat(tenant.api().get(GROUPS + "/" + id + "/messages").json().get("limit").asInt())
        .isEqualTo(50);
    assertThat(tenant.api().get(GROUPS + "/" + id + "/messages?limit=101").status()).isEqualTo(422);
    assertThat(tenant.api().get(GROUPS + "/" + id + "/messages?offset=-1").status()).isEqualTo(422);
  }

  @Test
  void scopesAndTenantsAreRespected() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String group = tenant.simulatedGroup(session, "Scoped", "4915100001501");
    String other = tenant.simulatedGroup(session, "Other", "4915100001501");
    String id = monitored(tenant, session, group, Map.of());

    Api reader = tenant.keyWithScopes("groups:read");
    assertThat(reader.get(GROUPS).status()).isEqualTo(200);
    assertThat(reader.get(GROUPS + "/" + id).status()).isEqualTo(200);
    assertThat(reader.get(GROUPS + "/available/" + session).status()).isEqualTo(200);
    Api.Response refused = monitor(reader, session, other, Map.of());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("X-Required-Scopes")).isEqualTo("groups:manage");
    assertThat(reader.patch(GROUPS + "/" + id, Map.of("is_active", false)).status()).isEqualTo(403);
    assertThat(reader.delete(GROUPS + "/" + id).status()).isEqualTo(403);
    Api leadsOnly = tenant.keyWithScopes("leads:read");
    assertThat(leadsOnly.get(GROUPS).status()).isEqualTo(403);
    assertThat(leadsOnly.get(GROUPS + "/" + id + "/messages").status()).isEqualTo(403);
    Api manager = tenant.keyWithScopes("groups:manage");
    assertThat(monitor(manager, session, other, Map.of()).status()).isEqualTo(201);
    assertThat(manager.get(GROUPS).json().get("total").asLong()).isEqualTo(2);

    TestTenant stranger = newTenant();
    String strangerSession = stranger.workingSession();
    assertThat(stranger.api().get(GROUPS + "/" + id).status()).isEqualTo(404);
    assertThat(stranger.api().patch(GROUPS + "/" + id, Map.of("is_active", false)).status())
        .isEqualTo(404);
    assertThat(stranger.api().delete(GROUPS + "/" + id).status()).isEqualTo(404);
    assertThat(stranger.api().get(GROUPS + "/" + id + "/messages").status()).isEqualTo(404);
    assertThat(stranger.api().get(GROUPS + "/available/" + session).status()).isEqualTo(404);
    assertThat(monitor(stranger.api(), session, group, Map.of()).status()).isEqualTo(404);
    // The stranger's number is not in the tenant's group.
    assertThat(monitor(stranger.api(), strangerSession, group, Map.of()).status()).isEqualTo(422);
    assertThat(stranger.api().get(GROUPS).json().get("total").asLong()).isZero();
    assertThat(tenant.api().get(GROUPS + "/" + id).status()).isEqualTo(200);
  }

  @Test
  void theOpenApiDocumentListsTheGroupEndpoints() {
    JsonNode paths = anonymous().get("/v3/api-docs").json().get("paths");
    assertThat(paths.has("/api/v2/groups")).isTrue();
    assertThat(paths.has("/api/v2/groups/{id}")).isTrue();
    assertThat(paths.has("/api/v2/groups/available/{sessionId}")).isTrue();
    assertThat(paths.has("/api/v2/groups/{id}/messages")).isTrue();
  }

  private static List<String> texts(Api.Response page) {
    List<String> texts = new ArrayList<>();
    StreamSupport.stream(page.json().get("items").spliterator(), false)
        .forEach(item -> texts.add(item.get("content_preview").asText()));
    return texts;
  }
}
