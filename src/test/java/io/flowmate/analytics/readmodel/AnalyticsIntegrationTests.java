package io.flowmate.analytics.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestGroups;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The analytics API over HTTP on the simulator: a small campaign's funnel (read, unread, replied,
 * failed for two reasons), the engagement leaderboard, best send times in a non-UTC zone, the Pro
 * plan gate, scopes, tenant isolation, and a rebuild from the stored messages that reproduces what
 * the live listeners counted.
 */
class AnalyticsIntegrationTests extends IntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Autowired JdbcClient jdbc;

  private TestGroups groups;
  private TestTenant tenant;
  private String session;

  @BeforeEach
  void setUp() {
    groups = new TestGroups(jdbc);
    tenant = newTenant().allowingColdMessages();
    session = tenant.workingSession();
  }

  @Test
  void aCampaignShowsItsFunnelFailureReasonsPaceAndEachRecipientsStatus() {
    String ana = "4915100009001"; // reads and replies
    String ben = "4915100009002"; // gets it, never reads
    String cai = "4915100009003"; // not on WhatsApp
    String dia = "4915100009004"; // opted out
    faults(Map.of("numbers_not_reading", List.of(ben), "numbers_not_on_whatsapp", List.of(cai)));
    tenant.contactWrites(session, dia, "STOP");
    UUID group =
        groups.create(
            tenant.id(),
            List.of(
                TestGroups.Member.of(ana, "Ana"), TestGroups.Member.of(ben, "Ben"),
                TestGroups.Member.of(cai, "Cai"), TestGroups.Member.of(dia, "Dia")));
    String job =
        tenant
            .api()
            .post(
                "/api/v2/bulk-send",
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "Spring offer for {name}"))
            .text("id");
    await()
        .atMost(WAIT)
        .untilAsserted(() ->
            assertThat(tenant.api().get("/api/v2/bulk-send/" + job).text("status"))
                .isEqualTo("completed"));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(analytics(job).at("/funnel/read").asInt()).isEqualTo(1));

    tenant.contactWrites(session, ana, "Yes, tell me more");

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(analytics(job).at("/funnel/replied").asInt()).isEqualTo(1));
    JsonNode report = analytics(job);
    assertThat(report.get("job_id").asText()).isEqualTo(job);
    assertThat(report.get("status").asText()).isEqualTo("completed");
    assertThat(report.get("total_recipients").asInt()).isEqualTo(4);
    JsonNode funnel = report.get("funnel");
    assertThat(funnel.get("queued").asInt()).isEqualTo(4);
    assertThat(funnel.get("waiting").asInt()).isZero();
    assertThat(funnel.get("sent").asInt()).isEqualTo(2);
    assertThat(funnel.get("delivered").asInt()).isEqualTo(2);
    assertThat(funnel.get("read").asInt()).isEqualTo(1);
    assertThat(funnel.get("replied").asInt()).isEqualTo(1);
    assertThat(funnel.get("failed").asInt()).isEqualTo(2);
    assertThat(funnel.get("cancelled").asInt()).isZero();
    assertThat(report.at("/rates/delivery_rate").asDouble()).isEqualTo(1.0);
    assertThat(report.at("/rates/read_rate").asDouble()).isEqualTo(0.5);
    assertThat(report.at("/rates/reply_rate").asDouble()).isEqualTo(0.5);
    assertThat(report.at("/rates/failure_rate").asDouble()).isEqualTo(0.5);
    assertThat(report.get("failure_reasons")).hasSize(2);
    assertThat(texts(report.get("failure_reasons"), "reason"))
        .anyMatch(reason -> reason.contains(cai) && reason.contains("not on WhatsApp"))
        .anyMatch(reason -> reason.contains("opted out"));
    assertThat(report.get("failure_reasons").findValuesAsText("count")).containsOnly("1");
    assertThat(report.at("/pace/messages_per_minute").asDouble()).isGreaterThan(0);
    assertThat(report.at("/pace/peak_messages_per_minute").asInt()).isBetween(1, 2);
    assertThat(report.at("/pace/first_sent_at").isTextual()).isTrue();

    Map<String, JsonNode> byChat = new HashMap<>();
    report.at("/recipients/items").forEach(r -> byChat.put(r.get("chat_id").asText(), r));
    assertThat(byChat.keySet())
        .containsExactlyInAnyOrder(ana + "@c.us", ben + "@c.us", cai + "@c.us", dia + "@c.us");
    assertThat(byChat.get(ana + "@c.us").get("status").asText()).isEqualTo("read");
    assertThat(byChat.get(ana + "@c.us").get("replied").asBoolean()).isTrue();
    assertThat(byChat.get(ana + "@c.us").get("replied_at").isTextual()).isTrue();
    assertThat(byChat.get(ben + "@c.us").get("status").asText()).isEqualTo("delivered");
    assertThat(byChat.get(ben + "@c.us").get("replied").asBoolean()).isFalse();
    assertThat(byChat.get(cai + "@c.us").get("status").asText()).isEqualTo("failed");
    assertThat(byChat.get(cai + "@c.us").get("failure_reason").asText())
        .contains("not on WhatsApp");
    assertThat(byChat.get(cai + "@c.us").get("sent_at").isNull()).isTrue();
    assertThat(byChat.get(dia + "@c.us").get("failure_reason").asText()).contains("opted out");

    JsonNode firstPage =
        tenant
            .api()
            .get("/api/v2/analytics/campaigns/" + job + "?limit=3")
            .json()
            .get("recipients");
    JsonNode secondPage =
        tenant
            .api()
            .get("/api/v2/analytics/campaigns/" + job + "?limit=3&offset=3")
            .json()
            .get("recipients");
    assertThat(firstPage.get("items")).hasSize(3);
    assertThat(firstPage.get("total").asInt()).isEqualTo(4);
    assertThat(firstPage.get("has_more").asBoolean()).isTrue();
    assertThat(secondPage.get("items")).hasSize(1);
    assertThat(secondPage.get("has_more").asBoolean()).isFalse();
    assertThat(tenant.api().get("/api/v2/analytics/campaigns/" + job + "?limit=500").status())
        .isEqualTo(422);

    // What the listeners counted live is what the stored messages say.
    JsonNode live = analytics(job);
    JsonNode contactsLive =
        tenant.api().get("/api/v2/analytics/contacts?sort=messages_sent").json();
    assertThat(operator().post("/api/v2/analytics/rebuild").status()).isEqualTo(200);
    JsonNode rebuilt = analytics(job);
    assertThat(rebuilt.get("funnel")).isEqualTo(live.get("funnel"));
    assertThat(rebuilt.get("failure_reasons")).isEqualTo(live.get("failure_reasons"));
    assertThat(rebuilt.get("recipients")).isEqualTo(live.get("recipients"));
    assertThat(
            withoutScores(tenant.api().get("/api/v2/analytics/contacts?sort=messages_sent").json()))
        .isEqualTo(withoutScores(contactsLive));
  }

  @Test
  void theLeaderboardRanksContactsByEngagementAndOtherFigures() {
    String zoe = "4915100007001"; // replies to everything we send, writes three times
    String yan = "4915100007002"; // gets two messages, never answers
    String xia = "4915100007003"; // writes once, last of all
    String first = send(zoe, "Hi Zoe, your order shipped");
    tenant.awaitMessageStatus(first, "read");
    tenant.contactWrites(session, zoe, "Thanks!");
    String second = send(zoe, "Zoe, would you rate us?");
    tenant.awaitMessageStatus(second, "read");
    tenant.contactWrites(session, zoe, "Five stars");
    tenant.contactWrites(session, zoe, "And a photo");
    tenant.awaitMessageStatus(send(yan, "Hello Yan, news for you"), "read");
    tenant.awaitMessageStatus(send(yan, "Yan, a last reminder"), "read");
    tenant.contactWrites(session, xia, "Is the shop open today?");

    await()
        .atMost(WAIT)
        .untilAsserted(() -> {
          JsonNode page = tenant.api().get("/api/v2/analytics/contacts").json();
          assertThat(page.get("total").asInt()).isEqualTo(3);
          assertThat(figure(page, zoe, "messages_received")).isEqualTo(3);
          assertThat(figure(page, zoe, "messages_replied")).isEqualTo(2);
          assertThat(figure(page, yan, "messages_read")).isEqualTo(2);
        });

    JsonNode byScore =
        tenant.api().get("/api/v2/analytics/contacts?sort=engagement_score&limit=50").json();
    assertThat(phones(byScore)).containsExactly(zoe, xia, yan);
    JsonNode zoeRow = byScore.get("items").get(0);
    assertThat(zoeRow.get("messages_sent").asInt()).isEqualTo(2);
    assertThat(zoeRow.get("reply_rate").asDouble()).isEqualTo(1.0);
    assertThat(zoeRow.at("/score/reply_points").asDouble()).isEqualTo(40.0);
    assertThat(zoeRow.at("/score/volume_points").asDouble())
        .isEqualTo(ContactEngagementScore.of(2, 3, 2, null, Instant.now()).volumePoints());
    assertThat(zoeRow.at("/score/recency_points").asDouble()).isBetween(29.9, 30.0);
    assertThat(zoeRow.get("engagement_score").asDouble())
        .isEqualTo(
            round(
                zoeRow.at("/score/reply_points").asDouble()
                    + zoeRow.at("/score/volume_points").asDouble()
                    + zoeRow.at("/score/recency_points").asDouble()),
            org.assertj.core.data.Offset.offset(0.11));
    assertThat(byScore.get("items").get(2).get("engagement_score").asDouble())
        .as("Yan: only volume points")
        .isEqualTo(ContactEngagementScore.of(2, 0, 0, null, Instant.now()).score());
    assertThat(byScore.get("items").findValuesAsText("chat_id"))
        .containsExactly(zoe + "@c.us", xia + "@c.us", yan + "@c.us");

    assertThat(phones(tenant.api().get("/api/v2/analytics/contacts?sort=messages_sent").json()))
        .containsExactly(zoe, yan, xia);
    assertThat(phones(tenant.api().get("/api/v2/analytics/contacts?sort=messages_received").json()))
        .containsExactly(zoe, xia, yan);
    assertThat(phones(tenant.api().get("/api/v2/analytics/contacts?sort=reply_rate").json()))
        .containsExactly(zoe, yan, xia);
    assertThat(phones(tenant.api().get("/api/v2/analytics/contacts?sort=last_message_at").json()))
        .containsExactly(xia, yan, zoe);
    JsonNode secondOnly = tenant.api().get("/api/v2/analytics/contacts?limit=1&offset=1").json();
    assertThat(phones(secondOnly)).containsExactly(xia);
    assertThat(secondOnly.get("has_more").asBoolean()).isTrue();
    Api.Response unknownSort = tenant.api().get("/api/v2/analytics/contacts?sort=popularity");
    assertThat(unknownSort.status()).isEqualTo(422);
    assertThat(unknownSort.text("detail"))
        .contains(
            "engagement_score, messages_sent, messages_received, reply_rate, last_message_at");
  }

  @Test
  void bestSendTimesAreTheTenantsLocalHoursWithAContactFigureOnceThereIsEnoughData() {
    ZoneId saoPaulo = ZoneId.of("America/Sao_Paulo");
    assertThat(
            tenant
                .api()
                .patch("/api/v2/tenant/settings", Map.of("timezone", saoPaulo.getId()))
                .status())
        .isEqualTo(200);
    String pat = "4915100006001"; // twenty messages: enough for their own figure
    String que = "4915100006002"; // wrote to us, got one message
    tenant.contactWrites(session, que, "Hello, are you open on Sunday?");
    Instant start = Instant.now();
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      sent.add(send(pat, "Daily tip number " + i));
    }
    sent.add(send(que, "We are open from ten"));
    sent.forEach(id -> tenant.awaitMessageStatus(id, "read"));
    Instant end = Instant.now();
    Set<Integer> hours =
        Set.copyOf(
            List.of(
                SendTimeSlots.hourOfWeek(start, saoPaulo),
                SendTimeSlots.hourOfWeek(end, saoPaulo)));

    await()
        .atMost(WAIT)
        .untilAsserted(() ->
            assertThat(sendTime("").at("/best_slots/0/read").asInt()).isGreaterThanOrEqualTo(5));
    JsonNode forTenant = sendTime("?limit=168");
    assertThat(forTenant.get("timezone").asText()).isEqualTo("America/Sao_Paulo");
    assertThat(forTenant.get("basis").asText()).isEqualTo("tenant");
    assertThat(forTenant.get("fallback").asBoolean()).isFalse();
    assertThat(forTenant.get("messages_analysed").asInt()).isEqualTo(21);
    assertThat(forTenant.get("min_messages_per_slot").asInt()).isEqualTo(5);
    JsonNode best = forTenant.at("/best_slots/0");
    assertThat(hours).contains(best.get("hour_of_week").asInt());
    assertThat(best.get("hour").asInt()).isEqualTo(best.get("hour_of_week").asInt() % 24);
    assertThat(best.get("read_quickly").asInt()).isEqualTo(best.get("sent").asInt());
    assertThat(best.get("replied").asInt()).isZero();
    assertThat(best.get("score").asDouble()).isEqualTo(0.3333);

    JsonNode forPat = sendTime("?chat_id=" + pat);
    assertThat(forPat.get("basis").asText()).isEqualTo("contact");
    assertThat(forPat.get("chat_id").asText()).isEqualTo(pat + "@c.us");
    assertThat(forPat.get("fallback").asBoolean()).isFalse();
    assertThat(forPat.get("contact_messages").asInt()).isEqualTo(20);
    assertThat(hours).contains(forPat.at("/best_slots/0/hour_of_week").asInt());

    String queContactId =
        StreamSupport.stream(
                tenant.api().get("/api/v2/analytics/contacts").json().get("items").spliterator(),
                false)
            .filter(c -> c.get("phone").asText().equals(que))
            .findFirst()
            .orElseThrow()
            .get("contact_id")
            .asText();
    JsonNode forQue = sendTime("?contact_id=" + queContactId);
    assertThat(forQue.get("basis").asText()).isEqualTo("tenant");
    assertThat(forQue.get("fallback").asBoolean()).isTrue();
    assertThat(forQue.get("fallback_reason").asText())
        .contains("only 1 message(s)")
        .contains("needs 20");
    assertThat(forQue.get("contact_messages").asInt()).isEqualTo(1);
    assertThat(forQue.get("best_slots")).isEqualTo(sendTime("").get("best_slots"));

    assertThat(
            tenant
                .api()
                .get("/api/v2/analytics/send-time?contact_id=" + UUID.randomUUID())
                .status())
        .isEqualTo(404);
    assertThat(
            tenant
                .api()
                .get("/api/v2/analytics/send-time?chat_id=120363000000000001@g.us")
                .status())
        .isEqualTo(422);
    assertThat(
            tenant
                .api()
                .get("/api/v2/analytics/send-time?chat_id=" + pat + "&contact_id=" + queContactId)
                .status())
        .isEqualTo(422);
    assertThat(tenant.api().get("/api/v2/analytics/send-time?limit=0").status()).isEqualTo(422);
  }

  @Test
  void campaignAnalyticsNeedProAndTheRightScopeAndStayWithinTheTenant() {
    UUID group = groups.create(tenant.id(), List.of(TestGroups.Member.of("4915100008001", "Ana")));
    String job =
        tenant
            .api()
            .post(
                "/api/v2/bulk-send",
                Map.of(
                    "session_id",
                    session,
                    "custom_group_id",
                    group.toString(),
                    "message_content",
                    "Hi"))
            .text("id");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(analytics(job).at("/funnel/sent").asInt()).isEqualTo(1));

    TestTenant starter = newTenant("starter");
    Api.Response belowPro = starter.api().get("/api/v2/analytics/campaigns/" + job);
    assertThat(belowPro.status()).isEqualTo(403);
    assertThat(belowPro.text("detail")).contains("not included in the Starter plan");

    TestTenant other = newTenant();
    assertThat(other.api().get("/api/v2/analytics/campaigns/" + job).status()).isEqualTo(404);
    assertThat(tenant.api().get("/api/v2/analytics/campaigns/" + UUID.randomUUID()).status())
        .isEqualTo(404);
    assertThat(other.api().get("/api/v2/analytics/contacts").json().get("total").asInt()).isZero();
    assertThat(
            other.api().get("/api/v2/analytics/send-time").json().get("messages_analysed").asInt())
        .isZero();

    Api bulkReader = tenant.keyWithScopes("bulk-send:read");
    Api messageReader = tenant.keyWithScopes("messages:read");
    assertThat(bulkReader.get("/api/v2/analytics/campaigns/" + job).status()).isEqualTo(200);
    Api.Response noBulkScope = messageReader.get("/api/v2/analytics/campaigns/" + job);
    assertThat(noBulkScope.status()).isEqualTo(403);
    assertThat(noBulkScope.header("X-Required-Scopes")).isEqualTo("bulk-send:read");
    assertThat(messageReader.get("/api/v2/analytics/contacts").status()).isEqualTo(200);
    assertThat(messageReader.get("/api/v2/analytics/send-time").status()).isEqualTo(200);
    assertThat(bulkReader.get("/api/v2/analytics/contacts").header("X-Required-Scopes"))
        .isEqualTo("messages:read");
    assertThat(bulkReader.get("/api/v2/analytics/send-time").status()).isEqualTo(403);
    Api.Response tenantRebuild = tenant.api().post("/api/v2/analytics/rebuild");
    assertThat(tenantRebuild.status()).isEqualTo(403);
    assertThat(tenantRebuild.header("X-Required-Scopes")).isEqualTo("tenants:manage");
  }

  private JsonNode analytics(String job) {
    Api.Response response = tenant.api().get("/api/v2/analytics/campaigns/" + job);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private JsonNode sendTime(String query) {
    Api.Response response = tenant.api().get("/api/v2/analytics/send-time" + query);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private String send(String phone, String text) {
    Api.Response sent =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", phone + "@c.us", "message", text));
    assertThat(sent.status()).as(sent.toString()).isIn(200, 201, 202);
    return sent.text("id");
  }

  private void faults(Map<String, Object> faults) {
    assertThat(
            tenant.api().post("/api/v2/simulator/sessions/" + session + "/faults", faults).status())
        .isEqualTo(200);
  }

  private static int figure(JsonNode page, String phone, String field) {
    for (JsonNode contact : page.get("items")) {
      if (phone.equals(contact.get("phone").asText())) {
        return contact.get(field).asInt();
      }
    }
    return -1;
  }

  private static List<String> phones(JsonNode page) {
    return page.get("items").findValuesAsText("phone");
  }

  private static List<String> texts(JsonNode array, String field) {
    return array.findValuesAsText(field);
  }

  /** The counters of a page; scores move with the clock (recency). */
  private static JsonNode withoutScores(JsonNode page) {
    JsonNode copy = page.deepCopy();
    copy.get("items")
        .forEach(item -> {
          ((com.fasterxml.jackson.databind.node.ObjectNode) item).remove("engagement_score");
          ((com.fasterxml.jackson.databind.node.ObjectNode) item).remove("score");
        });
    return copy;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
