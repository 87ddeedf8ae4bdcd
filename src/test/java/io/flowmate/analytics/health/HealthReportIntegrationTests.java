package io.flowmate.analytics.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The account health report over HTTP on the simulator: what a fresh tenant is told, and each
 * concern found in real data (a contact waiting for an answer, leads going cold, an active group
 * nobody monitors, sessions that do not work, usage near the plan's limits, VIPs in no contact
 * list), each with an API call that really fixes it; that the scan writes nothing; scopes and
 * tenant isolation.
 */
class HealthReportIntegrationTests extends IntegrationTest {

  private static final String HEALTH = "/api/v2/onboarding/health";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired JdbcClient jdbc;

  @Test
  void aFreshTenantIsToldToConnectANumberAndEverythingElseIsFine() {
    TestTenant tenant = newTenant();

    JsonNode report = health(tenant.api());

    assertThat(report.get("plan").asText()).isEqualTo("Business");
    assertThat(report.get("timezone").asText()).isEqualTo("UTC");
    assertThat(Instant.parse(report.get("generated_at").asText()))
        .isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
    assertThat(report.get("sections").findValuesAsText("id"))
        .containsExactly(
            "sessions",
            "unanswered_contacts",
            "cold_leads",
            "vip_contacts",
            "unmonitored_groups",
            "usage");
    assertThat(report.get("summary"))
        .isEqualTo(json(Map.of("ok", 5, "attention", 1, "skipped", 0)));

    JsonNode sessions = section(report, "sessions");
    assertThat(sessions.get("status").asText()).isEqualTo("attention");
    assertThat(sessions.get("icon").asText()).isEqualTo("❌");
    assertThat(sessions.get("title").asText()).isEqualTo("WhatsApp sessions");
    assertThat(sessions.get("summary").asText()).isEqualTo("No WhatsApp number connected");
    assertThat(sessions.at("/figures/total").asInt()).isZero();
    assertThat(sessions.at("/figures/working").asInt()).isZero();
    assertThat(sessions.at("/figures/sessions")).isEmpty();
    assertThat(sessions.get("actions"))
        .containsExactly(
            action(
                "Connect a WhatsApp number", "POST", "/api/v2/sessions", Map.of("name", "main")));
    assertThat(sessions.get("note").isNull()).isTrue();

    JsonNode unanswered = section(report, "unanswered_contacts");
    assertOk(unanswered, "Everyone who wrote got an answer");
    assertThat(unanswered.at("/figures/total").asInt()).isZero();
    assertThat(unanswered.at("/figures/contacts")).isEmpty();
    assertThat(unanswered.get("note").isNull()).as("nothing is hidden when nobody wrote").isTrue();
    JsonNode cold = section(report, "cold_leads");
    assertOk(cold, "No open lead has been quiet for 7+ days");
    assertThat(cold.at("/figures/cold_after_days").asInt()).isEqualTo(7);
    assertThat(cold.at("/figures/leads")).isEmpty();
    JsonNode vips = section(report, "vip_contacts");
    assertOk(vips, "No contact has 10+ messages yet");
    assertThat(vips.at("/figures/min_messages").asInt()).isEqualTo(10);
    assertThat(vips.at("/figures/total").asInt()).isZero();
    JsonNode groups = section(report, "unmonitored_groups");
    assertOk(groups, "Every active group is monitored");
    assertThat(groups.at("/figures/window_days").asInt()).isEqualTo(7);
    assertThat(groups.at("/figures/groups")).isEmpty();

    JsonNode usage = section(report, "usage");
    assertThat(usage.get("status").asText()).isEqualTo("ok");
    assertThat(usage.get("summary").asText()).isEqualTo("Within the Business plan's limits");
    assertThat(usage.at("/figures/plan").asText()).isEqualTo("Business");
    assertThat(usage.at("/figures/usage").findValuesAsText("metric"))
        .containsExactly(
            "messages_this_month",
            "sessions",
            "monitored_groups",
            "custom_groups",
            "scheduled_reports");
    assertThat(usageLine(usage, "messages_this_month"))
        .isEqualTo(
            json(usageLine("messages_this_month", "Messages this month", 0, 3000, 0.0, "idle")));
    assertThat(usageLine(usage, "sessions").get("limit").asInt()).isEqualTo(15);
    assertThat(usageLine(usage, "monitored_groups").get("level").asText()).isEqualTo("idle");
    assertThat(usageLine(usage, "custom_groups").get("level").asText()).isEqualTo("idle");
    JsonNode reports = usageLine(usage, "scheduled_reports");
    assertThat(reports.get("limit").isNull()).isTrue();
    assertThat(reports.get("percent").isNull()).isTrue();
    assertThat(reports.get("level").asText()).isEqualTo("unlimited");
    assertThat(usage.get("actions").findValuesAsText("path"))
        .as("idle capacity points at what would use it")
        .containsExactly("/api/v2/sessions", "/api/v2/groups", "/api/v2/custom-groups");

    assertThat(report.get("text").asText())
        .startsWith(
            "🩺 *Account health* (Business)\n5 ✅ · 1 ❌\n\n❌ *WhatsApp sessions*\nNo WhatsApp number connected\n"
                + "→ Connect a WhatsApp number: POST /api/v2/sessions")
        .contains("✅ *Unanswered contacts*\nEveryone who wrote got an answer")
        .contains("✅ *Usage and plan*\nWithin the Business plan's limits")
        .doesNotContain("not checked");
  }

  @Test
  void aContactWhoWroteAndGotNoReplyIsListedWithTheReplyToSendUntilAnswered() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String uma = "4915100060001";
    writes(tenant, session, uma, "Uma", "Is the flat in Porto still free?");

    JsonNode hidden =
        awaitSection(tenant.api(), "unanswered_contacts", s -> s.at("/figures/total").asInt() == 1);
    assertThat(hidden.get("status").asText()).isEqualTo("attention");
    assertThat(hidden.get("summary").asText()).isEqualTo("1 contact(s) wrote and got no reply");
    assertThat(hidden.at("/figures/contacts"))
        .as("who it is stays hidden without chat history access")
        .isEmpty();
    assertThat(hidden.at("/figures/contacts_hidden").asBoolean()).isTrue();
    assertThat(hidden.get("note").asText())
        .isEqualTo("Who they are stays hidden while chat history access is off");
    JsonNode optIn =
        action(
            "Let Flowmate show who wrote (chat history access)",
            "PATCH",
            "/api/v2/tenant/settings",
            Map.of("chat_history_access_enabled", true));
    assertThat(hidden.get("actions")).containsExactly(optIn);
    assertThat(health(tenant.api()).toString()).doesNotContain(uma).doesNotContain("Uma");

    assertThat(follow(tenant.api(), optIn).status()).isEqualTo(200);
    JsonNode unanswered = section(health(tenant.api()), "unanswered_contacts");
    assertThat(unanswered.get("status").asText()).isEqualTo("attention");
    assertThat(unanswered.at("/figures/contacts_hidden").asBoolean()).isFalse();
    assertThat(unanswered.get("note").isNull()).isTrue();
    JsonNode contact = unanswered.at("/figures/contacts/0");
    assertThat(unanswered.at("/figures/contacts")).hasSize(1);
    assertThat(contact.get("session_id").asText()).isEqualTo(session);
    assertThat(contact.get("chat_id").asText()).isEqualTo(uma + "@c.us");
    assertThat(contact.get("name").asText()).isEqualTo("Uma");
    assertThat(contact.get("awaits_reply").asBoolean()).isTrue();
    assertThat(contact.get("message_count").asInt()).isEqualTo(1);
    assertThat(contact.get("last_inbound_at").asText()).isNotBlank();
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("session_id", session);
    reply.put("chat_id", uma + "@c.us");
    reply.put("message", "<your reply>");
    JsonNode replyAction = action("Reply to Uma · +" + uma, "POST", "/api/v2/messages/send", reply);
    assertThat(unanswered.get("actions")).containsExactly(replyAction);
    assertThat(health(tenant.api()).get("text").asText())
        .contains(
            "❌ *Unanswered contacts*\n1 contact(s) wrote and got no reply\n→ Reply to Uma · +"
                + uma
                + ": POST /api/v2/messages/send");

    // Answer as the report suggests; once WhatsApp took the reply, Uma waits no more.
    Map<String, Object> answer = new HashMap<>(reply);
    answer.put("message", "Yes, it is. When would you like to see it?");
    Api.Response sent = tenant.api().post("/api/v2/messages/send", answer);
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    tenant.awaitMessageStatus(sent.text("id"), "read");

    JsonNode answered =
        awaitSection(tenant.api(), "unanswered_contacts", s -> s.at("/figures/total").asInt() == 0);
    assertOk(answered, "Everyone who wrote got an answer");
    assertThat(answered.at("/figures/contacts")).isEmpty();
    assertThat(
            usageLine(section(health(tenant.api()), "usage"), "messages_this_month")
                .get("used")
                .asInt())
        .as("the reply counts against the month's messages")
        .isEqualTo(1);
  }

  @Test
  void aLeadQuietForEightDaysIsGoingColdWhileOneActiveYesterdayOrClosedIsNot() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    Instant now = Instant.now();
    String quinn = lead(tenant, "4915100061001", "Quinn");
    String cole = lead(tenant, "4915100061002", "Cole");
    String yara = lead(tenant, "4915100061003", "Yara");
    String wes = lead(tenant, "4915100061004", "Wes");
    String lou = lead(tenant, "4915100061005", "Lou");
    moveLead(tenant, cole, "contacted");
    moveLead(tenant, wes, "converted");
    moveLead(tenant, lou, "lost");
    quietSince(cole, now.minus(Duration.ofDays(9)));
    quietSince(quinn, now.minus(Duration.ofDays(8)));
    quietSince(yara, now.minus(Duration.ofDays(1)));
    quietSince(wes, now.minus(Duration.ofDays(30)));
    quietSince(lou, now.minus(Duration.ofDays(30)));

    JsonNode cold = section(health(tenant.api()), "cold_leads");

    assertThat(cold.get("status").asText()).isEqualTo("attention");
    assertThat(cold.get("summary").asText()).isEqualTo("2 open lead(s) quiet for 7+ days");
    assertThat(cold.at("/figures/total").asInt()).isEqualTo(2);
    assertThat(cold.at("/figures/leads").findValuesAsText("id"))
        .as("longest quiet first")
        .containsExactly(cole, quinn);
    JsonNode first = cold.at("/figures/leads/0");
    assertThat(first.get("contact_phone").asText()).isEqualTo("4915100061002");
    assertThat(first.get("contact_name").asText()).isEqualTo("Cole");
    assertThat(first.get("status").asText()).isEqualTo("contacted");
    assertThat(Instant.parse(first.get("last_activity_at").asText()))
        .isCloseTo(now.minus(Duration.ofDays(9)), within(Duration.ofSeconds(1)));
    assertThat(cold.get("actions"))
        .containsExactly(
            action(
                "Check whether Cole · +4915100061002 wrote to you first, then follow up",
                "GET",
                "/api/v2/leads/" + cole + "/reciprocity?session_id=" + session,
                null),
            action(
                "Check whether Quinn · +4915100061001 wrote to you first, then follow up",
                "GET",
                "/api/v2/leads/" + quinn + "/reciprocity?session_id=" + session,
                null),
            action(
                "Close the leads that are gone",
                "POST",
                "/api/v2/leads/bulk/status",
                Map.of("lead_ids", List.of(cole, quinn), "status", "lost")));

    // Each suggested call works as given.
    for (JsonNode action : cold.get("actions")) {
      Api.Response followed = follow(tenant.api(), action);
      assertThat(followed.status()).as(followed.toString()).isEqualTo(200);
    }
    JsonNode closed = section(health(tenant.api()), "cold_leads");
    assertOk(closed, "No open lead has been quiet for 7+ days");
    assertThat(tenant.api().get("/api/v2/leads/" + quinn).text("lead_status")).isEqualTo("lost");
    assertThat(tenant.api().get("/api/v2/leads/" + yara).text("lead_status")).isEqualTo("new");
  }

  /** Ten leads or groups are listed; "10+" says there are more, and only when there are. */
  @Test
  void listsStopAtTenAndSayWhenThereAreMore() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    Instant quiet = Instant.now().minus(Duration.ofDays(10));
    List<String> leads = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      leads.add(lead(tenant, "49151000660%02d".formatted(i), "Lead " + i));
      quietSince(leads.getLast(), quiet.plus(Duration.ofMinutes(i)));
      groups.add(tenant.simulatedGroup(session, "Group " + i, "4915100067001"));
      tenant.groupMessage(session, groups.getLast(), "4915100067001", "Anyone need a bike?");
    }

    JsonNode exactlyTen =
        awaitSection(tenant.api(), "unmonitored_groups", s -> s.at("/figures/total").asInt() == 10);
    assertThat(exactlyTen.get("summary").asText())
        .isEqualTo("10 active group(s) not monitored for leads");
    assertThat(exactlyTen.get("actions")).as("three groups get an action of their own").hasSize(3);
    JsonNode tenLeads = section(health(tenant.api()), "cold_leads");
    assertThat(tenLeads.get("summary").asText()).isEqualTo("10 open lead(s) quiet for 7+ days");
    assertThat(tenLeads.at("/figures/leads").findValuesAsText("id"))
        .containsExactlyElementsOf(leads);
    assertThat(tenLeads.get("actions")).hasSize(4);
    assertThat(tenLeads.at("/actions/3/body/lead_ids")).hasSize(10);

    String eleventhLead = lead(tenant, "4915100066099", "Lead 10");
    quietSince(eleventhLead, quiet.plus(Duration.ofHours(1)));
    String eleventhGroup = tenant.simulatedGroup(session, "Group 10", "4915100067001");
    tenant.groupMessage(session, eleventhGroup, "4915100067001", "Bike for sale");
    tenant.groupMessage(session, eleventhGroup, "4915100067001", "Still for sale");

    JsonNode moreGroups =
        awaitSection(
            tenant.api(),
            "unmonitored_groups",
            s -> s.at("/figures/groups/0/wa_group_id").asText().equals(eleventhGroup));
    assertThat(moreGroups.get("summary").asText())
        .isEqualTo("10+ active group(s) not monitored for leads");
    assertThat(moreGroups.at("/figures/groups")).as("the busiest ten").hasSize(10);
    JsonNode moreLeads = section(health(tenant.api()), "cold_leads");
    assertThat(moreLeads.get("summary").asText()).isEqualTo("10+ open lead(s) quiet for 7+ days");
    assertThat(moreLeads.at("/figures/leads").findValuesAsText("id"))
        .as("the ten quiet longest")
        .containsExactlyElementsOf(leads)
        .doesNotContain(eleventhLead);
  }

  @Test
  void anActiveGroupNobodyMonitorsIsSuggestedUntilItIsMonitored() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String porto =
        tenant.simulatedGroup(session, "Porto flat hunters", "4915100062001", "4915100062002");
    tenant.simulatedGroup(
        session, "Quiet book club", "4915100062003", "4915100062004", "4915100062005");
    tenant.groupMessage(
        session, porto, "4915100062001", "Looking for a 2-bedroom flat near the river");
    tenant.groupMessage(session, porto, "4915100062002", "Me too, what is the price range?");

    JsonNode groups =
        awaitSection(
            tenant.api(),
            "unmonitored_groups",
            s -> s.at("/figures/groups/0/messages_in_window").asInt() == 2);

    assertThat(groups.get("status").asText()).isEqualTo("attention");
    assertThat(groups.get("summary").asText())
        .isEqualTo("1 active group(s) not monitored for leads");
    assertThat(groups.at("/figures/total").asInt())
        .as("the quiet group is not active")
        .isEqualTo(1);
    JsonNode group = groups.at("/figures/groups/0");
    assertThat(groups.at("/figures/groups")).hasSize(1);
    assertThat(group.get("session_id").asText()).isEqualTo(session);
    assertThat(group.get("wa_group_id").asText()).isEqualTo(porto);
    assertThat(group.get("name").asText()).isEqualTo("Porto flat hunters");
    assertThat(group.get("member_count").asInt()).isEqualTo(3);
    assertThat(group.get("last_message_at").asText()).isNotBlank();
    Map<String, Object> monitor = new LinkedHashMap<>();
    monitor.put("session_id", session);
    monitor.put("wa_group_id", porto);
    monitor.put("name", "Porto flat hunters");
    monitor.put("monitor_mode", "keywords");
    monitor.put("monitor_keywords", List.of("interested", "looking for", "need", "price"));
    JsonNode suggested =
        action("Monitor Porto flat hunters for leads", "POST", "/api/v2/groups", monitor);
    assertThat(groups.get("actions")).containsExactly(suggested);

    Api.Response monitored = follow(tenant.api(), suggested);
    assertThat(monitored.status()).as(monitored.toString()).isEqualTo(201);
    assertThat(monitored.text("monitor_mode")).isEqualTo("keywords");

    JsonNode report = health(tenant.api());
    JsonNode after = section(report, "unmonitored_groups");
    assertOk(after, "Every active group is monitored");
    assertThat(after.at("/figures/groups")).isEmpty();
    assertThat(usageLine(section(report, "usage"), "monitored_groups").get("used").asInt())
        .isEqualTo(1);
    assertThat(
            tenant
                .api()
                .get("/api/v2/groups/available/" + session)
                .json()
                .get("items")
                .findValuesAsText("wa_group_id"))
        .as("the quiet group is still there, just not active")
        .doesNotContain(porto)
        .hasSize(1);
  }

  @Test
  void sessionsThatDoNotWorkAreReportedWithTheCallThatStartsThemAgain() {
    TestTenant tenant = newTenant();
    String working = tenant.workingSession();
    Api.Response created = tenant.api().post("/api/v2/sessions", Map.of("name", "Never started"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String stopped = created.text("id");
    String failed = tenant.api().post("/api/v2/sessions", Map.of("name", "Shop phone")).text("id");
    assertThat(tenant.api().post("/api/v2/sessions/" + failed + "/start").status()).isEqualTo(200);
    tenant.awaitSessionStatus(failed, "working");
    tenant
        .api()
        .post(
            "/api/v2/simulator/sessions/" + failed + "/faults", Map.of("unlink_from_phone", true));
    tenant.awaitSessionStatus(failed, "failed");

    JsonNode sessions = section(health(tenant.api()), "sessions");

    assertThat(sessions.get("status").asText()).isEqualTo("attention");
    assertThat(sessions.get("summary").asText()).isEqualTo("1 of 3 working");
    assertThat(sessions.at("/figures/total").asInt()).isEqualTo(3);
    assertThat(sessions.at("/figures/working").asInt()).isEqualTo(1);
    Map<String, JsonNode> byId = byField(sessions.at("/figures/sessions"), "id");
    assertThat(byId.keySet()).containsExactlyInAnyOrder(working, stopped, failed);
    assertThat(byId.get(working).get("status").asText()).isEqualTo("working");
    assertThat(byId.get(stopped).get("status").asText()).isEqualTo("stopped");
    assertThat(byId.get(failed).get("status").asText()).isEqualTo("failed");
    assertThat(byId.get(failed).get("failure_reason").asText()).contains("pair the phone again");
    assertThat(byId.get(failed).get("status_since").asText()).isNotBlank();
    JsonNode startStopped =
        action("Start Never started again", "POST", "/api/v2/sessions/" + stopped + "/start", null);
    JsonNode startFailed =
        action("Start Shop phone again", "POST", "/api/v2/sessions/" + failed + "/start", null);
    assertThat(sessions.get("actions")).containsExactlyInAnyOrder(startStopped, startFailed);
    assertThat(health(tenant.api()).get("text").asText())
        .contains("❌ *WhatsApp sessions*\n1 of 3 working")
        .contains("→ Start Never started again: POST /api/v2/sessions/" + stopped + "/start");

    assertThat(follow(tenant.api(), startStopped).status()).isEqualTo(200);
    tenant.awaitSessionStatus(stopped, "working");
    JsonNode fewer = section(health(tenant.api()), "sessions");
    assertThat(fewer.get("summary").asText()).isEqualTo("2 of 3 working");
    assertThat(fewer.get("actions")).containsExactly(startFailed);
  }

  /**
   * The Starter plan allows 5 custom groups: 1 (20%) is no longer idle, 4 (80%) is not yet near the
   * limit, 5 (100%) is; below 20% the report points at the capacity left unused.
   */
  @Test
  void usageAboveEightyPercentOfThePlanWarnsAndBelowTwentyPointsAtIdleCapacity() {
    TestTenant starter = newTenant("starter");
    JsonNode idle = section(health(starter.api()), "usage");
    assertThat(idle.get("status").asText()).isEqualTo("ok");
    assertThat(idle.get("summary").asText()).isEqualTo("Within the Starter plan's limits");
    assertThat(usageLine(idle, "custom_groups"))
        .isEqualTo(json(usageLine("custom_groups", "Custom groups", 0, 5, 0.0, "idle")));
    assertThat(usageLine(idle, "scheduled_reports").get("limit").asInt()).isEqualTo(5);
    assertThat(idle.get("actions").findValuesAsText("title"))
        .containsExactly(
            "Connect another number",
            "Monitor a WhatsApp group for leads",
            "Build a contact list",
            "Get the lead pipeline every Monday at 09:00");
    assertThat(texts(idle.at("/figures/suggestions")))
        .contains(
            "Custom groups at 0%: idle capacity — build a contact list (POST /api/v2/custom-groups)");
    JsonNode buildList = find(idle.get("actions"), "title", "Build a contact list");
    assertThat(buildList)
        .isEqualTo(
            action(
                "Build a contact list",
                "POST",
                "/api/v2/custom-groups",
                Map.of("name", "Hot leads")));

    assertThat(follow(starter.api(), buildList).status())
        .as("the idle action works as given")
        .isEqualTo(201);
    JsonNode fifth = section(health(starter.api()), "usage");
    assertThat(usageLine(fifth, "custom_groups"))
        .isEqualTo(json(usageLine("custom_groups", "Custom groups", 1, 5, 20.0, "ok")));
    assertThat(fifth.get("actions").findValuesAsText("title"))
        .doesNotContain("Build a contact list");

    customGroups(starter, 3);
    JsonNode eighty = section(health(starter.api()), "usage");
    assertThat(usageLine(eighty, "custom_groups"))
        .isEqualTo(json(usageLine("custom_groups", "Custom groups", 4, 5, 80.0, "ok")));
    assertThat(eighty.get("status").asText()).as("80% is not above 80%").isEqualTo("ok");

    customGroups(starter, 1);
    JsonNode report = health(starter.api());
    JsonNode full = section(report, "usage");
    assertThat(usageLine(full, "custom_groups"))
        .isEqualTo(json(usageLine("custom_groups", "Custom groups", 5, 5, 100.0, "near_limit")));
    assertThat(full.get("status").asText()).isEqualTo("attention");
    assertThat(full.get("icon").asText()).isEqualTo("❌");
    assertThat(full.get("summary").asText()).isEqualTo("Near a limit of the Starter plan");
    JsonNode upgrade = full.get("actions").get(0);
    assertThat(upgrade)
        .isEqualTo(
            action(
                "Compare the plans and ask your operator for a larger one",
                "GET",
                "/api/v2/billing/plans",
                null));
    assertThat(follow(starter.api(), upgrade).status()).isEqualTo(200);
    assertThat(texts(full.at("/figures/suggestions")))
        .contains(
            "Custom groups at 100% of the Starter plan's 5: upgrade to a larger plan (GET /api/v2/billing/plans)");
    assertThat(report.at("/summary/attention").asInt())
        .as("no session, and the custom groups")
        .isEqualTo(2);

    // The plan's only session, once connected, is at its limit too.
    starter.workingSession();
    JsonNode withSession = section(health(starter.api()), "usage");
    assertThat(usageLine(withSession, "sessions"))
        .isEqualTo(json(usageLine("sessions", "Sessions", 1, 1, 100.0, "near_limit")));
    assertThat(withSession.get("actions").findValuesAsText("title"))
        .doesNotContain("Connect another number");
  }

  @Test
  void aContactWithTenMessagesIsAVipUntilKeptInAContactList() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String vera = "4915100063001";
    for (int i = 1; i <= 10; i++) {
      writes(tenant, session, vera, "Vera", "Question number " + i);
    }
    writes(tenant, session, "4915100063002", "Tim", "Just one question");

    JsonNode hidden =
        awaitSection(tenant.api(), "vip_contacts", s -> s.at("/figures/total").asInt() == 1);
    assertThat(hidden.get("status").asText()).isEqualTo("attention");
    assertThat(hidden.get("summary").asText())
        .isEqualTo("1 contact(s) with 10+ messages, 1 in no custom group");
    assertThat(hidden.at("/figures/contacts")).isEmpty();
    assertThat(hidden.at("/figures/contacts_hidden").asBoolean()).isTrue();
    assertThat(hidden.get("note").asText())
        .isEqualTo("Who they are stays hidden while chat history access is off");
    assertThat(hidden.get("actions").findValuesAsText("path"))
        .containsExactly("/api/v2/tenant/settings");

    assertThat(
            tenant
                .api()
                .patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true))
                .status())
        .isEqualTo(200);
    JsonNode vips = section(health(tenant.api()), "vip_contacts");
    assertThat(vips.at("/figures/contacts").findValuesAsText("chat_id"))
        .containsExactly(vera + "@c.us");
    assertThat(vips.at("/figures/contacts/0/message_count").asInt()).isEqualTo(10);
    assertThat(vips.at("/figures/not_in_a_custom_group").asInt()).isEqualTo(1);
    JsonNode keep =
        action(
            "Keep your VIPs in a contact list for follow-ups and campaigns",
            "POST",
            "/api/v2/custom-groups",
            Map.of(
                "name", "VIP contacts", "members", List.of(Map.of("phone", vera, "name", "Vera"))));
    assertThat(vips.get("actions")).containsExactly(keep);

    Api.Response listed = follow(tenant.api(), keep);
    assertThat(listed.status()).as(listed.toString()).isEqualTo(201);
    JsonNode kept = section(health(tenant.api()), "vip_contacts");
    assertOk(kept, "1 contact(s) with 10+ messages, 0 in no custom group");
    assertThat(kept.at("/figures/not_in_a_custom_group").asInt()).isZero();
  }

  /**
   * Every row of the tenant's tables (API keys aside: authenticating a request stamps its key) is
   * the same after two scans, unread counters included, and so is the report.
   */
  @Test
  void theScanChangesNothing() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    tenant.api().post("/api/v2/sessions", Map.of("name", "Spare"));
    writes(tenant, session, "4915100064001", "Ada", "Hello, anyone there?");
    writes(tenant, session, "4915100064001", "Ada", "Hello?");
    String group = tenant.simulatedGroup(session, "Lisbon rentals", "4915100064002");
    tenant.groupMessage(session, group, "4915100064002", "Need a studio in Lisbon");
    String lead = lead(tenant, "4915100064003", "Leo");
    quietSince(lead, Instant.now().minus(Duration.ofDays(8)));
    customGroups(tenant, 1);
    awaitSection(tenant.api(), "unanswered_contacts", s -> s.at("/figures/total").asInt() == 1);
    awaitSection(tenant.api(), "unmonitored_groups", s -> s.at("/figures/total").asInt() == 1);
    await().atMost(WAIT).until(() -> unread(tenant.id(), "4915100064001@c.us") == 2);
    Map<String, List<String>> before = rows(tenant.id());
    assertThat(before.get("messaging_chat")).hasSize(2);
    assertThat(before.get("leads_lead")).hasSize(1);

    JsonNode first = health(tenant.api());
    JsonNode second = health(tenant.api());

    assertThat(rows(tenant.id())).isEqualTo(before);
    assertThat(unread(tenant.id(), "4915100064001@c.us"))
        .as("not even unread counters")
        .isEqualTo(2);
    assertThat(second.get("summary")).isEqualTo(first.get("summary"));
    assertThat(second.get("sections")).isEqualTo(first.get("sections"));
    assertThat(first.get("summary")).isEqualTo(json(Map.of("ok", 2, "attention", 4, "skipped", 0)));
  }

  @Test
  void usageReadIsRequiredSectionsNeedTheirOwnScopeAndOtherTenantsStayOut() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String uma = "4915100065001";
    writes(tenant, session, uma, "Uma", "Hi there");
    String group = tenant.simulatedGroup(session, "Braga bikes", "4915100065002");
    tenant.groupMessage(session, group, "4915100065002", "Selling a bike, interested?");
    String lead = lead(tenant, "4915100065003", "Leo");
    quietSince(lead, Instant.now().minus(Duration.ofDays(8)));
    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    awaitSection(tenant.api(), "unanswered_contacts", s -> s.at("/figures/total").asInt() == 1);
    awaitSection(tenant.api(), "unmonitored_groups", s -> s.at("/figures/total").asInt() == 1);

    Api.Response refused =
        tenant
            .keyWithScopes("leads:read", "messages:read", "sessions:read", "groups:read")
            .get(HEALTH);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("X-Required-Scopes")).isEqualTo("usage:read");
    assertThat(tenant.api().withoutKey().get(HEALTH).status()).isEqualTo(401);

    JsonNode usageOnly = health(tenant.keyWithScopes("usage:read"));
    assertThat(usageOnly.get("summary"))
        .isEqualTo(json(Map.of("ok", 1, "attention", 0, "skipped", 5)));
    Map<String, String> scopeOf =
        Map.of(
            "sessions",
            "sessions:read",
            "unanswered_contacts",
            "messages:read",
            "cold_leads",
            "leads:read",
            "vip_contacts",
            "messages:read",
            "unmonitored_groups",
            "groups:read");
    scopeOf.forEach((id, scope) -> {
      JsonNode skipped = section(usageOnly, id);
      assertThat(skipped.get("status").asText()).as(id).isEqualTo("skipped");
      assertThat(skipped.get("icon").asText()).isEqualTo("➖");
      assertThat(skipped.get("summary").asText())
          .isEqualTo("Not checked: the API key lacks " + scope);
      assertThat(skipped.get("note").asText()).startsWith("Needs scope " + scope + ";");
      assertThat(skipped.get("figures").isNull()).isTrue();
      assertThat(skipped.get("actions")).isEmpty();
    });
    assertThat(section(usageOnly, "usage").get("status").asText()).isEqualTo("ok");
    assertThat(usageOnly.get("text").asText()).contains("1 ✅ · 0 ❌ · 5 not checked");
    assertThat(usageOnly.toString()).doesNotContain(uma, group, lead, session);

    JsonNode leadsToo = health(tenant.keyWithScopes("usage:read", "leads:read"));
    JsonNode cold = section(leadsToo, "cold_leads");
    assertThat(cold.at("/figures/leads").findValuesAsText("id")).containsExactly(lead);
    assertThat(cold.at("/actions/0/path").asText())
        .as("which sessions exist is for sessions:read")
        .isEqualTo("/api/v2/leads/" + lead + "/reciprocity?session_id=<session id>");
    assertThat(section(leadsToo, "sessions").get("status").asText()).isEqualTo("skipped");

    TestTenant other = newTenant();
    other.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    JsonNode theirs = health(other.api());
    assertThat(section(theirs, "sessions").at("/figures/total").asInt()).isZero();
    assertThat(section(theirs, "unanswered_contacts").at("/figures/total").asInt()).isZero();
    assertThat(section(theirs, "cold_leads").at("/figures/total").asInt()).isZero();
    assertThat(section(theirs, "unmonitored_groups").at("/figures/total").asInt()).isZero();
    assertThat(usageLine(section(theirs, "usage"), "sessions").get("used").asInt()).isZero();
    assertThat(theirs.toString()).doesNotContain(uma, group, lead, session);
    JsonNode mine = health(tenant.api());
    assertThat(section(mine, "unanswered_contacts").at("/figures/contacts/0/chat_id").asText())
        .isEqualTo(uma + "@c.us");
    assertThat(section(mine, "unmonitored_groups").at("/figures/groups/0/wa_group_id").asText())
        .isEqualTo(group);
  }

  // --- the report
  // -----------------------------------------------------------------------------------

  private static JsonNode health(Api api) {
    Api.Response report = api.get(HEALTH);
    assertThat(report.status()).as(report.toString()).isEqualTo(200);
    return report.json();
  }

  private static JsonNode section(JsonNode report, String id) {
    return StreamSupport.stream(report.get("sections").spliterator(), false)
        .filter(s -> id.equals(s.get("id").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no section " + id + " in " + report));
  }

  /**
   * Waits until the section says what is expected (inbound messages are recorded asynchronously).
   */
  private static JsonNode awaitSection(Api api, String id, Predicate<JsonNode> expected) {
    await().atMost(WAIT).until(() -> expected.test(section(health(api), id)));
    return section(health(api), id);
  }

  private static void assertOk(JsonNode section, String summary) {
    assertThat(section.get("status").asText()).as(section.toString()).isEqualTo("ok");
    assertThat(section.get("icon").asText()).isEqualTo("✅");
    assertThat(section.get("summary").asText()).isEqualTo(summary);
    assertThat(section.get("actions")).as(section.toString()).isEmpty();
  }

  private static JsonNode usageLine(JsonNode usage, String metric) {
    return find(usage.at("/figures/usage"), "metric", metric);
  }

  private static Map<String, Object> usageLine(
      String metric, String label, long used, long limit, double percent, String level) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("metric", metric);
    line.put("label", label);
    line.put("used", used);
    line.put("limit", limit);
    line.put("percent", percent);
    line.put("level", level);
    return line;
  }

  private static JsonNode action(String title, String method, String path, Object body) {
    Map<String, Object> action = new LinkedHashMap<>();
    action.put("title", title);
    action.put("method", method);
    action.put("path", path);
    action.put("body", body);
    return json(action);
  }

  /** Makes the API call a suggested action names, exactly as given. */
  private static Api.Response follow(Api api, JsonNode action) {
    String path = action.get("path").asText();
    JsonNode body = action.get("body");
    return switch (action.get("method").asText()) {
      case "GET" -> api.get(path);
      case "POST" -> body.isNull() ? api.post(path) : api.post(path, body.toString());
      case "PATCH" -> api.patch(path, body.toString());
      default -> throw new AssertionError("unexpected method in " + action);
    };
  }

  // --- data
  // -----------------------------------------------------------------------------------------

  private static void writes(
      TestTenant tenant, String session, String phone, String name, String text) {
    Api.Response inbound =
        tenant
            .api()
            .post(
                "/api/v2/simulator/sessions/" + session + "/inbound",
                Map.of("from", phone, "sender_name", name, "message", text));
    assertThat(inbound.status()).as(inbound.toString()).isEqualTo(202);
  }

  /** A lead entered by hand with a score, so that no scoring touches it while a test runs. */
  private static String lead(TestTenant tenant, String phone, String name) {
    Api.Response created =
        tenant
            .api()
            .post(
                "/api/v2/leads",
                Map.of("contact_phone", phone, "contact_name", name, "lead_score", 5));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static void moveLead(TestTenant tenant, String lead, String status) {
    Api.Response moved =
        tenant.api().patch("/api/v2/leads/" + lead + "/status", Map.of("status", status));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
  }

  /**
   * Ages a lead: nothing happened with it since {@code at}. Its score stays current for that
   * activity, so scoring leaves it alone.
   */
  private void quietSince(String lead, Instant at) {
    int updated =
        jdbc.sql(
                "UPDATE leads_lead SET last_activity_at = :at, scored_activity_at = :at WHERE id = :id")
            .param("at", Timestamp.from(at.truncatedTo(ChronoUnit.MICROS)))
            .param("id", UUID.fromString(lead))
            .update();
    assertThat(updated).isEqualTo(1);
  }

  private static void customGroups(TestTenant tenant, int count) {
    for (int i = 0; i < count; i++) {
      Api.Response created =
          tenant.api().post("/api/v2/custom-groups", Map.of("name", "List " + UUID.randomUUID()));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
  }

  private int unread(UUID tenant, String chat) {
    return jdbc.sql(
            "SELECT unread_count FROM messaging_chat WHERE tenant_id = :tenant AND chat_id = :chat")
        .param("tenant", tenant)
        .param("chat", chat)
        .query(Integer.class)
        .optional()
        .orElse(-1);
  }

  /** Every row of every table with a tenant_id (but API keys), and the tenant itself, as text. */
  private Map<String, List<String>> rows(UUID tenant) {
    List<String> tables =
        jdbc.sql(
                """
                SELECT table_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND column_name = 'tenant_id' AND table_name <> 'admin_api_key'
                 ORDER BY table_name
                """)
            .query(String.class)
            .list();
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String table : tables) {
      rows.put(
          table,
          jdbc.sql("SELECT t::text FROM " + table + " t WHERE tenant_id = :tenant ORDER BY t::text")
              .param("tenant", tenant)
              .query(String.class)
              .list());
    }
    rows.put(
        "admin_tenant",
        jdbc.sql("SELECT t::text FROM admin_tenant t WHERE id = :tenant")
            .param("tenant", tenant)
            .query(String.class)
            .list());
    rows.put(
        "event_publication",
        jdbc.sql(
                "SELECT id::text FROM event_publication WHERE serialized_event LIKE :tenant ORDER BY 1")
            .param("tenant", "%" + tenant + "%")
            .query(String.class)
            .list());
    return rows;
  }

  // --- JSON
  // -----------------------------------------------------------------------------------------

  /** The value as the server would write it, so that numbers compare as parsed JSON numbers. */
  private static JsonNode json(Object value) {
    try {
      return JSON.readTree(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    return StreamSupport.stream(array.spliterator(), false)
        .filter(item -> value.equals(item.get(field).asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + field + " " + value + " in " + array));
  }

  private static Map<String, JsonNode> byField(JsonNode array, String field) {
    Map<String, JsonNode> by = new HashMap<>();
    array.forEach(item -> by.put(item.get(field).asText(), item));
    return by;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  private static org.assertj.core.data.TemporalUnitOffset within(Duration duration) {
    return org.assertj.core.api.Assertions.within(duration.toMillis(), ChronoUnit.MILLIS);
  }
}
