package io.flowmate.leads.groups;

import static io.flowmate.leads.groups.GroupMonitoringIntegrationTests.GROUPS;
import static io.flowmate.leads.groups.GroupMonitoringIntegrationTests.monitor;
import static io.flowmate.leads.groups.GroupMonitoringIntegrationTests.monitored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.core.MessageId;
import io.flowmate.core.TenantId;
import io.flowmate.leads.MonitoredGroups;
import io.flowmate.leads.events.GroupMessage;
import io.flowmate.leads.events.LeadDetected;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Lead detection end to end: group messages written through the simulated WhatsApp are stored,
 * noticed, matched and turned into leads, with the groups' counters and the events, for every
 * monitor mode.
 */
class GroupDetectionIntegrationTests extends IntegrationTest {

  @Autowired ConfigurableApplicationContext context;
  @Autowired MonitoredGroups monitoredGroups;
  @Autowired GroupDetection detection;
  @Autowired JdbcClient jdbc;

  /**
   * What the application published, every test's tenants mixed: tests look at their own tenant's.
   */
  private static final Queue<Object> PUBLISHED = new ConcurrentLinkedQueue<>();

  private static final Set<ApplicationContext> LISTENED = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void listen() {
    if (LISTENED.add(context)) {
      context.addApplicationListener(
          (ApplicationListener<ApplicationEvent>)
              event -> {
                if (event instanceof PayloadApplicationEvent<?> payload
                    && (payload.getPayload() instanceof LeadDetected
                        || payload.getPayload() instanceof GroupMessage)) {
                  PUBLISHED.add(payload.getPayload());
                }
              });
    }
  }

  private List<LeadDetected> leadsDetected(UUID tenant) {
    return PUBLISHED.stream()
        .filter(e -> e instanceof LeadDetected d && d.tenantId().equals(new TenantId(tenant)))
        .map(LeadDetected.class::cast)
        .toList();
  }

  private List<GroupMessage> groupMessages(UUID tenant) {
    return PUBLISHED.stream()
        .filter(e -> e instanceof GroupMessage m && m.tenantId().equals(new TenantId(tenant)))
        .map(GroupMessage.class::cast)
        .toList();
  }

  private static void awaitProcessed(TestTenant tenant, String group, long messages) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            tenant.api().get(GROUPS + "/" + group).json().get("messages_processed").asLong()
                == messages);
  }

  private static JsonNode leadOf(TestTenant tenant, String phone) {
    Api.Response found = tenant.api().get("/api/v2/leads?search=" + phone);
    assertThat(found.json().get("total").asLong()).as("leads of %s", phone).isEqualTo(1);
    return found.json().get("leads").get(0);
  }

  private static long leadCount(TestTenant tenant) {
    return tenant.api().get("/api/v2/leads").json().get("total").asLong();
  }

  /**
   * Two Flowmate instances: the catch-up of one that just started reads messages the other has
   * examined (or is examining). Each message counts, makes its lead and is announced once.
   */
  @Test
  void aMessageExaminedByOneInstanceIsNotExaminedAgainByAnother() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String madridWa = tenant.simulatedGroup(session, "Madrid flats", "4915100002101");
    String madrid =
        monitored(
            tenant,
            session,
            madridWa,
            Map.of("monitor_mode", "keywords", "monitor_keywords", List.of("budget")));
    tenant.groupMessage(session, madridWa, "4915100002101", "Our budget is 200k");
    tenant.groupMessage(session, madridWa, "4915100002102", "Hello all");
    awaitProcessed(tenant, madrid, 2);
    List<UUID> received =
        jdbc.sql("SELECT id FROM messaging_message WHERE chat_id = :chat AND direction = 'inbound'")
            .param("chat", madridWa)
            .query(UUID.class)
            .list();
    assertThat(received).hasSize(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> groupMessages(tenant.id()).size() == 2);

    detection.detect(
        received.stream().map(id -> new GroupDetection.Noticed(MessageId.of(id))).toList());

    JsonNode group = tenant.api().get(GROUPS + "/" + madrid).json();
    assertThat(group.get("messages_processed").asLong()).isEqualTo(2);
    assertThat(group.get("leads_detected").asLong()).isEqualTo(1);
    assertThat(leadsDetected(tenant.id())).hasSize(1);
    assertThat(groupMessages(tenant.id())).hasSize(2);
  }

  /** "Alert me when someone in my property groups says budget, bedrooms or viewing." */
  @Test
  void propertyGroupsAlertOnBudgetBedroomsOrViewing() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String lisbonWa = tenant.simulatedGroup(session, "Lisbon flats", "4915100002001");
    String portoWa = tenant.simulatedGroup(session, "Porto flats", "4915100002004");
    String lisbon =
        monitored(
            tenant,
            session,
            lisbonWa,
            Map.of(
                "monitor_mode",
                "keywords",
                "monitor_keywords",
                List.of("budget", "bedrooms", "viewing")));
    String porto =
        monitored(
            tenant,
            session,
            portoWa,
            Map.of(
                "monitor_mode",
                "keywords",
                "monitor_keywords",
                List.of("budget", "bedrooms", "viewing", "orcamento")));
    // Carla is already a lead the tenant is talking to.
    String carla =
        tenant
            .api()
            .post(
                "/api/v2/leads", Map.of("contact_phone", "4915100002003", "contact_name", "Carla"))
            .text("id");
    assertThat(
            tenant
                .api()
                .patch("/api/v2/leads/" + carla + "/status", Map.of("status", "contacted"))
                .status())
        .isEqualTo(200);

    tenant.groupMessage(
        session, lisbonWa, "4915100002001", "Hi! Our budget is 300k and we need 3 bedrooms");
    tenant.groupMessage(session, lisbonWa, "4915100002002", "Good morning everyone");
    tenant.groupMessage(
        session, lisbonWa, "4915100002002", "Any budgeting tips? Priceless views from here");
    tenant.groupMessage(session, portoWa, "4915100002004", "Qual é o Orçamento mínimo?");
    tenant.groupMessage(session, portoWa, "4915100002005", "VIEWING possible on Saturday?");
    tenant.groupMessage(session, portoWa, "4915100002003", "Is a viewing possible tomorrow?");
    awaitProcessed(tenant, lisbon, 3);
    awaitProcessed(tenant, porto, 3);
    tenant.groupMessage(session, lisbonWa, "4915100002001", "And what about 2 bedrooms?");
    awaitProcessed(tenant, lisbon, 4);

    JsonNode lisbonGroup = tenant.api().get(GROUPS + "/" + lisbon).json();
    assertThat(lisbonGroup.get("leads_detected").asLong()).isEqualTo(1);
    assertThat(lisbonGroup.get("last_message_at").asText()).isNotBlank();
    assertThat(tenant.api().get(GROUPS + "/" + porto).json().get("leads_detected").asLong())
        .isEqualTo(2);

    JsonNode ana = leadOf(tenant, "4915100002001");
    assertThat(ana.get("lead_status").asText()).isEqualTo("new");
    assertThat(ana.get("contact_name").asText()).isEqualTo("Sender 4915100002001");
    assertThat(ana.at("/source_group/id").asText()).isEqualTo(lisbon);
    assertThat(ana.at("/source_group/name").asText()).isEqualTo("Lisbon flats");
    assertThat(ana.at("/trigger/matched_keyword").asText()).isEqualTo("budget");
    assertThat(ana.at("/trigger/monitor_mode").asText()).isEqualTo("keywords");
    assertThat(ana.at("/trigger/message_preview").asText())
        .isEqualTo("Hi! Our budget is 300k and we need 3 bedrooms");
    assertThat(leadOf(tenant, "4915100002004").at("/trigger/matched_keyword").asText())
        .isEqualTo("orcamento");
    assertThat(leadOf(tenant, "4915100002005").at("/trigger/matched_keyword").asText())
        .isEqualTo("viewing");
    assertThat(tenant.api().get("/api/v2/leads?search=4915100002002").json().get("total").asLong())
        .isZero();
    JsonNode stillCarla = leadOf(tenant, "4915100002003");
    assertThat(stillCarla.get("id").asText()).isEqualTo(carla);
    assertThat(stillCarla.get("lead_status").asText()).isEqualTo("contacted");
    assertThat(stillCarla.get("trigger").isNull()).isTrue();
    assertThat(leadCount(tenant)).isEqualTo(4);
    assertThat(
            tenant.api().get("/api/v2/leads?source_group_id=" + porto).json().get("total").asLong())
        .isEqualTo(2);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(leadsDetected(tenant.id())).hasSize(5));
    List<LeadDetected> detected = leadsDetected(tenant.id());
    assertThat(detected)
        .filteredOn(LeadDetected::newLead)
        .hasSize(3)
        .extracting(LeadDetected::matchedKeyword)
        .containsExactlyInAnyOrder("budget", "orcamento", "viewing");
    assertThat(detected)
        .filteredOn(d -> !d.newLead())
        .extracting(d -> d.leadId().toString())
        .containsExactlyInAnyOrder(carla, ana.get("id").asText());
    assertThat(detected).allSatisfy(d -> assertThat(d.sessionId().toString()).isEqualTo(session));
    List<GroupMessage> messages = groupMessages(tenant.id());
    assertThat(messages).hasSize(7);
    assertThat(messages).filteredOn(m -> m.matchedKeyword() == null).hasSize(2);
    assertThat(messages).filteredOn(m -> m.groupId().toString().equals(lisbon)).hasSize(4);

    // What reports and the health report read.
    TenantId tenantId = new TenantId(tenant.id());
    assertThat(monitoredGroups.monitored(tenantId))
        .extracting(
            MonitoredGroups.Monitored::name,
            MonitoredGroups.Monitored::messagesProcessed,
            MonitoredGroups.Monitored::leadsDetected)
        .containsExactly(tuple("Lisbon flats", 4L, 1L), tuple("Porto flats", 3L, 2L));
    List<MonitoredGroups.Digest> digest =
        monitoredGroups.digest(tenantId, Instant.now().minus(Duration.ofHours(1)));
    assertThat(digest)
        .extracting(MonitoredGroups.Digest::name)
        .containsExactly("Porto flats", "Lisbon flats");
    assertThat(digest.get(0).matches()).isEqualTo(3);
    assertThat(digest.get(0).leadsDetected()).isEqualTo(2);
    assertThat(digest.get(0).messages()).isEqualTo(3);
    assertThat(digest.get(0).topKeywords().getFirst())
        .isEqualTo(new MonitoredGroups.KeywordCount("viewing", 2));
    assertThat(digest.get(1).matches()).isEqualTo(2);
    assertThat(digest.get(1).messages()).isEqualTo(4);
    assertThat(digest.get(1).topKeywords())
        .containsExactly(
            new MonitoredGroups.KeywordCount("bedrooms", 2),
            new MonitoredGroups.KeywordCount("budget", 1));
    assertThat(monitoredGroups.digest(tenantId, Instant.now().plus(Duration.ofHours(1))))
        .allSatisfy(d -> assertThat(d.messages() + d.matches() + d.leadsDetected()).isZero());
    String quietWa =
        tenant.simulatedGroup(session, "Not monitored", "4915100002001", "4915100002002");
    assertThat(monitoredGroups.unmonitored(tenantId, Duration.ofDays(7), 10))
        .singleElement()
        .satisfies(u -> {
          assertThat(u.waGroupId()).isEqualTo(quietWa);
          assertThat(u.memberCount()).isEqualTo(3);
          assertThat(u.messagesInWindow()).isZero();
        });
    assertThat(monitoredGroups.unmonitored(tenantId, Duration.ofDays(7), 0)).isEmpty();
  }

  @Test
  void everyModeDecidesItsOwnWayAndLinkedIdSendersAreCountedButNotLeads() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String own = tenant.api().get("/api/v2/sessions/" + session).text("phone_number");
    String allWa = tenant.simulatedGroup(session, "All", "4915100003001");
    String firstWa = tenant.simulatedGroup(session, "First", "4915100003001");
    String mentionsWa = tenant.simulatedGroup(session, "Mentions", "4915100003001");
    String aiWa = tenant.simulatedGroup(session, "AI", "4915100003001");
    String all = monitored(tenant, session, allWa, Map.of("monitor_mode", "all"));
    String first = monitored(tenant, session, firstWa, Map.of());
    String mentions = monitored(tenant, session, mentionsWa, Map.of("monitor_mode", "mentions"));
    String ai =
        monitored(
            tenant,
            session,
            aiWa,
            Map.of(
                "monitor_mode",
                "ai_analysis",
                "monitor_prompt",
                "people who want to rent a flat in Porto"));

    tenant.groupMessage(session, allWa, "100000000000777@lid", "Hello from a linked id");
    tenant.groupMessage(session, allWa, "4915100003001", "ok");
    tenant.groupMessage(session, firstWa, "4915100003002", "Hi, I am new here");
    tenant.groupMessage(session, firstWa, "4915100003003", "Welcome!");
    tenant.groupMessage(session, mentionsWa, "4915100003004", "@" + own + " do you rent bikes?");
    tenant.groupMessage(session, mentionsWa, "4915100003005", "@" + own + "1 is someone else");
    tenant.groupMessage(session, mentionsWa, "4915100003006", "no mention at all");
    tenant.groupMessage(
        session,
        aiWa,
        "4915100003007",
        "Looking for a 2-bedroom flat in Porto, budget 300k. Can I book a viewing?");
    tenant.groupMessage(session, aiWa, "4915100003008", "Good morning all!");
    awaitProcessed(tenant, all, 2);
    awaitProcessed(tenant, first, 2);
    awaitProcessed(tenant, mentions, 3);
    awaitProcessed(tenant, ai, 2);
    tenant.groupMessage(session, firstWa, "4915100003002", "Second message from the same person");
    awaitProcessed(tenant, first, 3);

    assertThat(tenant.api().get(GROUPS + "/" + all).json().get("leads_detected").asLong())
        .isEqualTo(1);
    assertThat(tenant.api().get(GROUPS + "/" + first).json().get("leads_detected").asLong())
        .isEqualTo(2);
    assertThat(tenant.api().get(GROUPS + "/" + mentions).json().get("leads_detected").asLong())
        .isEqualTo(1);
    assertThat(tenant.api().get(GROUPS + "/" + ai).json().get("leads_detected").asLong())
        .isEqualTo(1);
    assertThat(leadOf(tenant, "4915100003001").at("/trigger/monitor_mode").asText())
        .isEqualTo("all");
    assertThat(leadOf(tenant, "4915100003002").at("/trigger/message_preview").asText())
        .isEqualTo("Hi, I am new here");
    assertThat(leadOf(tenant, "4915100003004").at("/trigger/monitor_mode").asText())
        .isEqualTo("mentions");
    assertThat(leadOf(tenant, "4915100003007").at("/trigger/monitor_mode").asText())
        .isEqualTo("ai_analysis");
    assertThat(leadCount(tenant)).isEqualTo(5);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(leadsDetected(tenant.id())).hasSize(5));
    assertThat(leadsDetected(tenant.id())).allMatch(LeadDetected::newLead);

    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    JsonNode analysed = tenant.api().get(GROUPS + "/" + ai + "/messages").json().get("items");
    JsonNode buyer = find(analysed, "4915100003007").get("ai_analysis");
    assertThat(buyer.get("intent").asText()).isEqualTo("buying_intent");
    assertThat(buyer.get("lead_score").asInt()).isBetween(7, 10);
    assertThat(buyer.get("confidence").asDouble()).isBetween(0.5, 1.0);
    assertThat(buyer.get("reason").asText())
        .contains("'looking for'")
        .contains("'budget'")
        .contains("on topic 'porto'");
    JsonNode greeting = find(analysed, "4915100003008").get("ai_analysis");
    assertThat(greeting.get("intent").asText()).isEqualTo("off_topic");
    assertThat(greeting.get("lead_score").asInt()).isEqualTo(1);
    JsonNode classifiedOnReading =
        find(
                tenant.api().get(GROUPS + "/" + all + "/messages").json().get("items"),
                "4915100003001")
            .get("ai_analysis");
    assertThat(classifiedOnReading.get("intent").asText()).isEqualTo("unknown");
    assertThat(classifiedOnReading.get("reason").asText()).isNotBlank();
  }

  /**
   * A keyword group's lead is scored with the intent of the message that made it a lead on plans
   * with AI (here: buying, so the decision suggests qualified); without AI the intent is left out.
   */
  @Test
  void aDetectedLeadIsScoredWithItsMessagesIntentOnPlansWithAi() {
    String text = "Hi! Our budget is 300k and we need 3 bedrooms";
    TestTenant business = newTenant("business");
    JsonNode withAi = scoredLead(business, "4915100009101", text);
    assertThat(withAi.get("score_reason").asText()).contains("intent +3 (buying_intent)");
    assertThat(withAi.get("lead_score").asInt()).isGreaterThanOrEqualTo(8);
    // The suggestion is recorded by the process's last job, a moment after the score.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() ->
            assertThat(
                    business
                        .api()
                        .get("/api/v2/leads/" + withAi.get("id").asText())
                        .text("suggested_status"))
                .isEqualTo("qualified"));

    JsonNode withoutAi = scoredLead(newTenant("starter"), "4915100009102", text);
    assertThat(withoutAi.get("score_reason").asText()).doesNotContain("intent");
    assertThat(withoutAi.get("lead_score").asInt()).isEqualTo(withAi.get("lead_score").asInt() - 3);
  }

  private static JsonNode scoredLead(TestTenant tenant, String phone, String text) {
    String session = tenant.workingSession();
    String wa = tenant.simulatedGroup(session, "Flats", phone);
    monitored(
        tenant,
        session,
        wa,
        Map.of("monitor_mode", "keywords", "monitor_keywords", List.of("bedrooms")));
    tenant.groupMessage(session, wa, phone, text);
    await().atMost(Duration.ofSeconds(15)).until(() -> leadCount(tenant) == 1);
    String id = leadOf(tenant, phone).get("id").asText();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !tenant.api().get("/api/v2/leads/" + id).json().get("scored_at").isNull());
    return tenant.api().get("/api/v2/leads/" + id).json();
  }

  /**
   * {@code auto_label_leads}: a new lead's direct chat gets the group's label; a label must be the
   * tenant's.
   */
  @Test
  void aNewLeadsChatGetsTheGroupsLabel() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    Api.Response label =
        tenant.api().post("/api/v2/labels", Map.of("name", "Bike lead", "color", "#22AA55"));
    assertThat(label.status()).as(label.toString()).isEqualTo(201);
    String wa = tenant.simulatedGroup(session, "Bikes for sale", "4915100007001");
    Map<String, Object> settings =
        Map.of(
            "monitor_mode",
            "keywords",
            "monitor_keywords",
            List.of("price"),
            "auto_label_leads",
            true);
    Api.Response unknownLabel =
        monitor(
            tenant.api(),
            session,
            wa,
            with(settings, "lead_label_id", UUID.randomUUID().toString()));
    assertThat(unknownLabel.status()).isEqualTo(422);
    assertThat(unknownLabel.text("detail")).contains("is not one of your labels");
    String group =
        monitored(tenant, session, wa, with(settings, "lead_label_id", label.text("id")));

    tenant.groupMessage(session, wa, "4915100007001", "What's the price?");
    tenant.groupMessage(session, wa, "4915100007002", "Nice bikes");
    awaitProcessed(tenant, group, 2);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() ->
            assertThat(
                    tenant
                        .api()
                        .get("/api/v2/labels/chat/4915100007001@c.us?session_id=" + session)
                        .json()
                        .findValuesAsText("name"))
                .containsExactly("Bike lead"));
    assertThat(
            tenant.api().get("/api/v2/labels/chat/4915100007002@c.us?session_id=" + session).json())
        .isEmpty();
    assertThat(tenant.api().get("/api/v2/labels/" + label.text("id") + "/chats").json().toString())
        .contains("4915100007001");
  }

  private static Map<String, Object> with(Map<String, Object> settings, String key, Object value) {
    Map<String, Object> changed = new java.util.HashMap<>(settings);
    changed.put(key, value);
    return changed;
  }

  /**
   * "Score the last 50 messages of my real-estate group": a keyword group's messages were never
   * classified by detection, yet the page shows every incoming one with intent, score, confidence
   * and reason, on a plan with AI; without AI there is no analysis.
   */
  @Test
  void theLastFiftyMessagesOfAGroupAreScoredOnPlansWithAi() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String wa = tenant.simulatedGroup(session, "Lisbon real estate", "4915100005001");
    String group =
        monitored(
            tenant,
            session,
            wa,
            Map.of("monitor_mode", "keywords", "monitor_keywords", List.of("viewing")));
    for (int i = 0; i < 52; i++) {
      String phone = "49151000051" + String.format("%02d", i);
      tenant.groupMessage(
          session,
          wa,
          phone,
          i % 4 == 0
              ? "Looking for a 2-bedroom flat, budget 300k. Can I book a viewing?"
              : "Good morning all! #" + i);
    }
    awaitProcessed(tenant, group, 52);
    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));

    JsonNode page = tenant.api().get(GROUPS + "/" + group + "/messages?limit=50").json();
    assertThat(page.get("total").asLong()).isEqualTo(52);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    List<JsonNode> items = StreamSupport.stream(page.get("items").spliterator(), false).toList();
    assertThat(items)
        .hasSize(50)
        .allSatisfy(
            item -> assertThat(item.get("ai_analysis").isObject()).as(item.toString()).isTrue());
    List<JsonNode> buyers =
        items.stream()
            .filter(i -> i.get("content_preview").asText().startsWith("Looking for"))
            .toList();
    assertThat(buyers).hasSizeGreaterThanOrEqualTo(12);
    for (JsonNode buyer : buyers) {
      JsonNode analysis = buyer.get("ai_analysis");
      assertThat(analysis.get("intent").asText()).isEqualTo("buying_intent");
      assertThat(analysis.get("lead_score").asInt()).isBetween(7, 10);
      assertThat(analysis.get("reason").asText()).contains("'looking for'").contains("'viewing'");
    }
    assertThat(
            items.stream()
                .filter(i -> i.get("content_preview").asText().startsWith("Good morning")))
        .allSatisfy(greeting -> {
          assertThat(greeting.at("/ai_analysis/intent").asText()).isEqualTo("off_topic");
          assertThat(greeting.at("/ai_analysis/lead_score").asInt()).isEqualTo(1);
        });

    TestTenant starter = newTenant("starter");
    String starterSession = starter.workingSession();
    String starterWa = starter.simulatedGroup(starterSession, "Porto real estate", "4915100005201");
    String starterGroup =
        monitored(
            starter,
            starterSession,
            starterWa,
            Map.of("monitor_mode", "keywords", "monitor_keywords", List.of("viewing")));
    starter.groupMessage(
        starterSession, starterWa, "4915100005201", "Looking for a flat, can I book a viewing?");
    awaitProcessed(starter, starterGroup, 1);
    starter.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    JsonNode withoutAi =
        starter.api().get(GROUPS + "/" + starterGroup + "/messages").json().get("items");
    assertThat(withoutAi).hasSize(1);
    assertThat(withoutAi.get(0).get("ai_analysis").isNull()).isTrue();
  }

  @Test
  void pausedGroupsAreNotExaminedAndAutoRespondWaitsForReciprocity() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String groupWa = tenant.simulatedGroup(session, "Bikes", "4915100004001");
    String group =
        monitored(
            tenant,
            session,
            groupWa,
            Map.of(
                "monitor_mode",
                "keywords",
                "monitor_keywords",
                List.of("price"),
                "auto_respond",
                true,
                "response_template",
                "Thanks for asking! Our prices are on the way."));

    // A stranger asks: a lead, but no automatic message to someone who never wrote to the number.
    tenant.groupMessage(session, groupWa, "4915100004001", "What's the price?");
    awaitProcessed(tenant, group, 1);
    // Somebody who wrote to the number before gets the answer in their direct chat.
    tenant.contactWrites(session, "4915100004002", "Hello, I saw your bikes");
    awaitContact(tenant, session, "4915100004002");
    tenant.groupMessage(session, groupWa, "4915100004002", "Price for the blue one?");
    awaitProcessed(tenant, group, 2);

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() ->
            assertThat(tenant.deliveredTexts(session))
                .contains("Thanks for asking! Our prices are on the way."));
    JsonNode deliveries =
        tenant.api().get("/api/v2/simulator/sessions/" + session + "/deliveries").json();
    assertThat(
            StreamSupport.stream(deliveries.spliterator(), false)
                .map(d -> d.get("chat_id").asText()))
        .containsExactly("4915100004002@c.us");
    assertThat(tenant.api().get(GROUPS + "/" + group).json().get("leads_detected").asLong())
        .isEqualTo(2);

    assertThat(tenant.api().patch(GROUPS + "/" + group, Map.of("is_active", false)).status())
        .isEqualTo(200);
    tenant.groupMessage(session, groupWa, "4915100004003", "price?");
    // Stored, but not examined while paused; once resumed, the next message is.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            tenant.api().get(GROUPS + "/" + group + "/messages").json().get("total").asLong() == 3);
    assertThat(tenant.api().patch(GROUPS + "/" + group, Map.of("is_active", true)).status())
        .isEqualTo(200);
    tenant.groupMessage(session, groupWa, "4915100004004", "price?");
    awaitProcessed(tenant, group, 3);
    assertThat(tenant.api().get("/api/v2/leads?search=4915100004003").json().get("total").asLong())
        .isZero();
    assertThat(tenant.api().get("/api/v2/leads?search=4915100004004").json().get("total").asLong())
        .isEqualTo(1);
  }

  /** Waits until the number has stored the contact's direct message (inbound is asynchronous). */
  private static void awaitContact(TestTenant tenant, String session, String phone) {
    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> tenant.api().get("/api/v2/messages/chats/" + session).body().contains(phone));
  }

  private static JsonNode find(JsonNode items, String senderPhone) {
    return StreamSupport.stream(items.spliterator(), false)
        .filter(item -> senderPhone.equals(item.get("sender_phone").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message from " + senderPhone + " in " + items));
  }
}
