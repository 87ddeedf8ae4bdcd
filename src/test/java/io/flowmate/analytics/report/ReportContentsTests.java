package io.flowmate.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flowmate.admin.Plan;
import io.flowmate.admin.PlanLimits;
import io.flowmate.analytics.report.ReportContents.ContactLine;
import io.flowmate.analytics.report.ReportContents.LeadLine;
import io.flowmate.analytics.report.ReportContents.SessionLine;
import io.flowmate.analytics.report.ReportContents.UsagePlan.UsageLine;
import io.flowmate.core.CampaignId;
import io.flowmate.core.SessionId;
import io.flowmate.leads.MonitoredGroups;
import io.flowmate.outreach.OutreachFigures;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each template written as WhatsApp text and as JSON from given figures: what the lines say, that
 * times are in the report's zone and durations count back from the report's moment, and that the
 * JSON carries the same figures in the API's snake_case.
 */
class ReportContentsTests {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** Monday 2 March 2026, 09:00 in Berlin. */
  private static final Instant MONDAY_NINE = Instant.parse("2026-03-02T08:00:00Z");

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private static final UUID SESSION = UUID.fromString("01900000-0000-7000-8000-000000000001");

  @Test
  void dailyActivityCountsTrafficAndLeadsAndShowsEachSessionsUptime() {
    SessionLine main =
        new SessionLine(
            SESSION,
            "Main",
            "4915100000001",
            "working",
            MONDAY_NINE.minus(Duration.ofHours(76)),
            null);
    SessionLine backup =
        new SessionLine(
            UUID.randomUUID(),
            "Backup",
            null,
            "failed",
            MONDAY_NINE.minus(Duration.ofMinutes(125)),
            "logged out");
    var body = new ReportContents.DailyActivity(1234, 37, 3, List.of(main, backup));

    String text = render(ReportTemplate.DAILY_ACTIVITY, "Morning digest", body);
    JsonNode json = json(ReportTemplate.DAILY_ACTIVITY, "Morning digest", body);

    assertThat(text)
        .isEqualTo(
            """
            📊 *Daily Activity Summary*
            _Morning digest_
            Sun 1 Mar, 09:00 – Mon 2 Mar, 09:00 (Europe/Berlin)

            *Messages*
            • Sent: 1,234
            • Received: 37

            *Leads*
            • New leads: 3

            *Sessions: 1 of 2 working*
            ✅ Main · +4915100000001 — up 3 d 4 h
            ❌ Backup — failed for 2 h 5 min: logged out\
            """);
    assertThat(json.get("template_id").asText()).isEqualTo("daily_activity");
    assertThat(json.get("title").asText()).isEqualTo("Daily Activity Summary");
    assertThat(json.get("report_name").asText()).isEqualTo("Morning digest");
    assertThat(json.get("period_start").asText()).isEqualTo("2026-03-01T08:00:00Z");
    assertThat(json.get("period_end").asText()).isEqualTo("2026-03-02T08:00:00Z");
    assertThat(json.at("/figures/messages_sent").asLong()).isEqualTo(1234);
    assertThat(json.at("/figures/messages_received").asLong()).isEqualTo(37);
    assertThat(json.at("/figures/leads_detected").asLong()).isEqualTo(3);
    assertThat(json.at("/figures/sessions/0/status_since").asText())
        .isEqualTo("2026-02-27T04:00:00Z");
    assertThat(json.at("/figures/sessions/1/failure_reason").asText()).isEqualTo("logged out");
  }

  @Test
  void aReportNamedLikeItsTemplateShowsNoSecondName() {
    String text =
        render(
            ReportTemplate.REVIEW_DIGEST,
            "Review & Testimonial Digest",
            ReportContents.ReviewDigest.withoutReviewsModule());

    assertThat(text.lines().limit(2))
        .containsExactly(
            "📝 *Review & Testimonial Digest*",
            "Sun 1 Mar, 09:00 – Mon 2 Mar, 09:00 (Europe/Berlin)");
  }

  @Test
  void leadPipelineShowsStagesFunnelConversionAndSources() {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    byStatus.put("new", 10L);
    byStatus.put("contacted", 6L);
    byStatus.put("qualified", 4L);
    byStatus.put("converted", 3L);
    byStatus.put("lost", 1L);
    Map<String, Long> bySource = new LinkedHashMap<>();
    bySource.put("Porto flat hunters", 20L);
    bySource.put(null, 4L);

    var body = ReportContents.LeadPipeline.of(byStatus, bySource, 5);

    assertThat(body.total()).isEqualTo(24);
    assertThat(body.funnel())
        .extracting(ReportContents.LeadPipeline.StageCount::leads)
        .containsExactly(13L, 7L, 3L);
    assertThat(body.conversionPercent()).isEqualTo(12.5);
    assertThat(body.winPercent()).isEqualTo(75.0);
    String text = render(ReportTemplate.LEAD_PIPELINE, "Pipeline", body);
    assertThat(text)
        .contains(
            """
            *Pipeline: 24 leads, 5 new*
            • New: 10 (42%)
            • Contacted: 6 (25%)
            • Qualified: 4 (17%)
            • Converted: 3 (13%)
            • Lost: 1 (4%)

            *Funnel (reached at least)*
            • Contacted: 13 (54%)
            • Qualified: 7 (29%)
            • Converted: 3 (13%)

            *Conversion*
            • Converted: 12.5% of all leads
            • Won vs lost: 75%

            *Sources*
            • Porto flat hunters: 20
            • Entered by hand: 4\
            """);
    JsonNode json = json(ReportTemplate.LEAD_PIPELINE, "Pipeline", body);
    assertThat(json.at("/figures/conversion_percent").asDouble()).isEqualTo(12.5);
    assertThat(json.at("/figures/stages/3/status").asText()).isEqualTo("converted");
    assertThat(json.at("/figures/stages/3/percent").asDouble()).isEqualTo(12.5);
    assertThat(json.at("/figures/sources/1/source").isNull()).isTrue();
  }

  @Test
  void anEmptyPipelineSaysHowLeadsArrive() {
    Map<String, Long> none = new LinkedHashMap<>();
    io.flowmate.leads.Leads.STATUSES.forEach(status -> none.put(status, 0L));

    var body = ReportContents.LeadPipeline.of(none, Map.of(), 0);

    assertThat(body.conversionPercent()).isNull();
    assertThat(body.winPercent()).isNull();
    assertThat(render(ReportTemplate.LEAD_PIPELINE, "x", body))
        .endsWith(
            "*Pipeline: 0 leads, 0 new*\nNo leads yet. Monitor a WhatsApp group to detect them: POST /api/v2/groups");
  }

  @Test
  void unansweredContactsListsWhoWaitsAndWhichLeadsGoCold() {
    var ana =
        new ContactLine(
            SESSION,
            "4915100000011@c.us",
            "Ana Lima",
            MONDAY_NINE.minus(Duration.ofHours(51)),
            MONDAY_NINE.minus(Duration.ofHours(51)),
            4,
            true);
    var lid =
        new ContactLine(
            SESSION,
            "123456789012@lid",
            null,
            MONDAY_NINE.minus(Duration.ofMinutes(30)),
            MONDAY_NINE.minus(Duration.ofMinutes(30)),
            1,
            true);
    var lead =
        new LeadLine(
            UUID.randomUUID(),
            "4915100000012",
            "Ben",
            "contacted",
            MONDAY_NINE.minus(Duration.ofDays(9)));
    var body =
        new ReportContents.UnansweredContacts(5, List.of(ana, lid), false, 7, List.of(lead), true);

    String text = render(ReportTemplate.UNANSWERED_CONTACTS, "Unanswered Contacts", body);

    assertThat(text)
        .endsWith(
            """
            *Waiting for a reply: 5*
            • Ana Lima · +4915100000011 — waiting 2 d 3 h
            • a contact without a known number — waiting 30 min
            • and 3 more

            *Leads going cold (7+ days quiet): 1+*
            • Ben · +4915100000012 — contacted, quiet 9 d\
            """);
    JsonNode json = json(ReportTemplate.UNANSWERED_CONTACTS, "Unanswered Contacts", body);
    assertThat(json.at("/figures/unanswered").asLong()).isEqualTo(5);
    assertThat(json.at("/figures/longest_waiting/0/chat_id").asText())
        .isEqualTo("4915100000011@c.us");
    assertThat(json.at("/figures/contacts_hidden").asBoolean()).isFalse();
    assertThat(json.at("/figures/going_cold/0/contact_phone").asText()).isEqualTo("4915100000012");
    assertThat(json.at("/figures/more_going_cold").asBoolean()).isTrue();
  }

  @Test
  void withChatHistoryAccessOffOnlyTheCountOfWaitingContactsIsShown() {
    var body = new ReportContents.UnansweredContacts(2, List.of(), true, 7, List.of(), false);

    String text = render(ReportTemplate.UNANSWERED_CONTACTS, "x", body);

    assertThat(text)
        .contains("*Waiting for a reply: 2*\n" + ReportContents.CHAT_HISTORY_OFF)
        .contains("No open lead has gone quiet.")
        .doesNotContain("+49");
  }

  @Test
  void vipContactsShowTheBusiestConversations() {
    var ana =
        new ContactLine(
            SESSION,
            "4915100000011@c.us",
            "Ana Lima",
            MONDAY_NINE.minus(Duration.ofHours(2)),
            MONDAY_NINE.minus(Duration.ofHours(2)),
            42,
            true);
    var ben =
        new ContactLine(
            SESSION,
            "4915100000012@c.us",
            null,
            MONDAY_NINE.minus(Duration.ofDays(1)),
            MONDAY_NINE.minus(Duration.ofMinutes(5)),
            12,
            false);

    String text =
        render(
            ReportTemplate.VIP_CONTACTS,
            "x",
            new ReportContents.VipContacts(10, 2, List.of(ana, ben), false));

    assertThat(text)
        .endsWith(
            """
            *10+ messages: 2 contacts*
            • Ana Lima · +4915100000011 — 42 messages, last 2 h ago, awaits a reply
            • +4915100000012 — 12 messages, last 5 min ago\
            """);
    assertThat(
            render(
                ReportTemplate.VIP_CONTACTS,
                "x",
                new ReportContents.VipContacts(10, 0, List.of(), false)))
        .endsWith("No conversation has reached 10 messages yet.");
  }

  @Test
  void groupMonitoringSumsTheGroupsAndNamesTheirTopKeywords() {
    var porto =
        new MonitoredGroups.Monitored(
            UUID.randomUUID(),
            SessionId.of(SESSION),
            "120363000000000001@g.us",
            "Porto flat hunters",
            "keywords",
            true,
            900,
            40,
            Instant.EPOCH);
    var lisbon =
        new MonitoredGroups.Monitored(
            UUID.randomUUID(),
            SessionId.of(SESSION),
            "120363000000000002@g.us",
            "Lisbon rentals",
            "keywords",
            false,
            100,
            2,
            Instant.EPOCH);
    var digest =
        new MonitoredGroups.Digest(
            porto.id(),
            "Porto flat hunters",
            80,
            10,
            4,
            List.of(
                new MonitoredGroups.KeywordCount("looking for", 6),
                new MonitoredGroups.KeywordCount("price", 4)));

    var body = ReportContents.GroupMonitoring.of(List.of(porto, lisbon), List.of(digest));

    assertThat(render(ReportTemplate.GROUP_MONITORING, "x", body))
        .endsWith(
            """
            *2 groups monitored, 1 active*
            • Messages: 80
            • Keyword matches: 10
            • Leads: 4

            *Porto flat hunters*
            • 80 messages, 10 matches, 4 leads
            • Top: "looking for" ×6, "price" ×4\
            """);
    JsonNode json = json(ReportTemplate.GROUP_MONITORING, "x", body);
    assertThat(json.at("/figures/groups/0/top_keywords/0/keyword").asText())
        .isEqualTo("looking for");
    assertThat(json.at("/figures/leads_detected").asLong()).isEqualTo(4);
    assertThat(
            render(
                ReportTemplate.GROUP_MONITORING,
                "x",
                ReportContents.GroupMonitoring.of(List.of(), List.of())))
        .endsWith("No group monitored yet: POST /api/v2/groups with a session_id and wa_group_id.");
  }

  @Test
  void scheduledMessagesStatusComparesExecutedAndFailedRuns() {
    var figures =
        new OutreachFigures.ScheduleFigures(
            4,
            1,
            12,
            1,
            2,
            List.of(
                new OutreachFigures.UpcomingRun(
                    UUID.randomUUID(),
                    "Weekly digest",
                    "weekly",
                    MONDAY_NINE.plus(Duration.ofDays(7)))),
            List.of(
                new OutreachFigures.FailedRun(
                    UUID.randomUUID(),
                    "Payment reminder",
                    MONDAY_NINE.minus(Duration.ofHours(20)),
                    "failed",
                    "custom group gone")));

    String text =
        render(
            ReportTemplate.SCHEDULED_MESSAGES_STATUS,
            "x",
            ReportContents.ScheduledMessagesStatus.of(figures));

    assertThat(text)
        .endsWith(
            """
            *Runs in this period*
            • Executed: 12
            • Failed: 1
            • Missed: 2

            *Schedules: 4 active, 1 paused*

            *Next up*
            • Weekly digest — Mon 9 Mar, 09:00

            *Problems*
            ❌ Payment reminder — Sun 1 Mar, 13:00, failed: custom group gone\
            """);
    assertThat(
            json(
                    ReportTemplate.SCHEDULED_MESSAGES_STATUS,
                    "x",
                    ReportContents.ScheduledMessagesStatus.of(figures))
                .at("/figures/upcoming/0/next_run_at")
                .asText())
        .isEqualTo("2026-03-09T08:00:00Z");
  }

  @Test
  void bulkSendProgressShowsEachCampaignsDelivery() {
    var spring =
        new OutreachFigures.CampaignFigures(
            CampaignId.of(UUID.randomUUID()),
            "Spring promo",
            "running",
            127,
            45,
            40,
            0,
            82,
            MONDAY_NINE,
            null);
    var body =
        ReportContents.BulkSendProgress.of(
            new OutreachFigures.BulkSendFigures(1, 0, 0, 2, List.of(spring)));

    assertThat(render(ReportTemplate.BULK_SEND_PROGRESS, "x", body))
        .endsWith(
            """
            *Bulk sends: 1 running, 0 paused, 2 finished*

            *Spring promo — running*
            • 45 of 127 sent (35%), 40 delivered
            • 0 failed, 82 waiting\
            """);
    assertThat(
            json(ReportTemplate.BULK_SEND_PROGRESS, "x", body)
                .at("/figures/campaigns/0/waiting")
                .asLong())
        .isEqualTo(82);
  }

  @Test
  void usageAboveEightyPercentSuggestsAnUpgradeAndBelowTwentyPointsAtIdleCapacity() {
    PlanLimits starter =
        new PlanLimits(
            Plan.STARTER,
            "Starter",
            20,
            120,
            500,
            1,
            5,
            5,
            5,
            true,
            true,
            false,
            false,
            false,
            false,
            false);
    List<UsageLine> lines =
        List.of(
            UsageLine.of("messages_this_month", "Messages this month", 460, 500),
            UsageLine.of("sessions", "Sessions", 1, 1),
            UsageLine.of("custom_groups", "Custom groups", 0, 5),
            UsageLine.of("scheduled_reports", "Scheduled reports", 2, 5),
            UsageLine.of("monitored_groups", "Monitored groups", 30, null));

    var body = ReportContents.UsagePlan.of(starter, lines);

    assertThat(lines)
        .extracting(UsageLine::level)
        .containsExactly("near_limit", "near_limit", "idle", "ok", "unlimited");
    assertThat(lines.getFirst().percent()).isEqualTo(92.0);
    assertThat(render(ReportTemplate.USAGE_PLAN, "x", body))
        .endsWith(
            """
            *Plan: Starter*
            • Messages this month: 460 / 500 (92%) ⚠️
            • Sessions: 1 / 1 (100%) ⚠️
            • Custom groups: 0 / 5 (0%)
            • Scheduled reports: 2 / 5 (40%)
            • Monitored groups: 30 (unlimited)

            *Suggestions*
            • Messages this month at 92% of the Starter plan's 500: upgrade to a larger plan (GET /api/v2/billing/plans)
            • Sessions at 100% of the Starter plan's 1: upgrade to a larger plan (GET /api/v2/billing/plans)
            • Custom groups at 0%: idle capacity — build a contact list (POST /api/v2/custom-groups)\
            """);
    JsonNode json = json(ReportTemplate.USAGE_PLAN, "x", body);
    assertThat(json.at("/figures/usage/4/limit").isNull()).isTrue();
    assertThat(json.at("/figures/usage/0/level").asText()).isEqualTo("near_limit");
    assertThat(json.at("/figures/suggestions")).hasSize(3);
  }

  @Test
  void sessionHealthNamesTheSessionsToStartAgain() {
    UUID failed = UUID.fromString("01900000-0000-7000-8000-000000000002");
    var body =
        ReportContents.SessionHealth.of(
            List.of(
                new SessionLine(
                    SESSION,
                    "Main",
                    "4915100000001",
                    "working",
                    MONDAY_NINE.minus(Duration.ofDays(12)),
                    null),
                new SessionLine(
                    failed,
                    "Shop",
                    "4915100000002",
                    "stopped",
                    MONDAY_NINE.minus(Duration.ofMinutes(45)),
                    null)));

    assertThat(body.working()).isEqualTo(1);
    assertThat(render(ReportTemplate.SESSION_HEALTH, "x", body))
        .endsWith(
            """
            *Sessions: 1 of 2 working*
            ✅ Main · +4915100000001 — up 12 d
            ❌ Shop · +4915100000002 — stopped for 45 min

            *To do*
            • Start Shop again: POST /api/v2/sessions/01900000-0000-7000-8000-000000000002/start\
            """);
  }

  @Test
  void reviewDigestSaysThereIsNothingToSummariseInsteadOfInventingFigures() {
    var body = ReportContents.ReviewDigest.withoutReviewsModule();

    assertThat(render(ReportTemplate.REVIEW_DIGEST, "Weekly reviews", body))
        .endsWith(
            """
            *No review collectors configured*
            Flowmate has no reviews module yet, so there are no reviews, sentiment or approvals to summarise.\
            """);
    JsonNode json = json(ReportTemplate.REVIEW_DIGEST, "Weekly reviews", body);
    assertThat(json.at("/figures/collectors_configured").asLong()).isZero();
    assertThat(json.at("/figures/reviews_available").asBoolean()).isFalse();
  }

  @Test
  void durationsAreShortAndNeverNegative() {
    assertThat(ReportText.duration(Duration.ofMinutes(12))).isEqualTo("12 min");
    assertThat(ReportText.duration(Duration.ofMinutes(190))).isEqualTo("3 h 10 min");
    assertThat(ReportText.duration(Duration.ofHours(5))).isEqualTo("5 h");
    assertThat(ReportText.duration(Duration.ofHours(76))).isEqualTo("3 d 4 h");
    assertThat(ReportText.duration(Duration.ofDays(7))).isEqualTo("7 d");
    assertThat(ReportText.duration(Duration.ofMinutes(-3))).isEqualTo("0 min");
    assertThat(ReportText.percent(1, 3)).isEqualTo("33%");
    assertThat(ReportText.percent(1, 0)).isEqualTo("–");
  }

  private static ReportContents.Document document(
      ReportTemplate template, String name, ReportContents.Body body) {
    return new ReportContents.Document(
        template.id(),
        template.title(),
        name,
        BERLIN.getId(),
        MONDAY_NINE.minus(Duration.ofDays(1)),
        MONDAY_NINE,
        MONDAY_NINE.plusSeconds(2),
        body);
  }

  private static String render(ReportTemplate template, String name, ReportContents.Body body) {
    return document(template, name, body).text(new ReportText(BERLIN, MONDAY_NINE), template);
  }

  private static JsonNode json(ReportTemplate template, String name, ReportContents.Body body) {
    return JSON.valueToTree(document(template, name, body));
  }
}
