package io.flowmate.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Scheduled reports over HTTP: the API's shapes and rules (templates, CRUD, validation with clear
 * details, the plan's cap, scopes, tenant isolation, Idempotency-Key), generating a report now, and
 * the case of the lead pipeline sent to the team's WhatsApp group every Monday at 09:00, run by
 * moving the clock until the message reaches the simulated WhatsApp.
 */
class ReportIntegrationTests extends ReportTestSupport {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void theTenTemplatesAreListed() {
    Api.Response templates = tenant().keyWithScopes("reports:read").get(REPORTS + "/templates");

    assertThat(templates.status()).isEqualTo(200);
    assertThat(templates.json().findValuesAsText("id"))
        .containsExactly(
            "daily_activity",
            "lead_pipeline",
            "unanswered_contacts",
            "vip_contacts",
            "group_monitoring",
            "scheduled_messages_status",
            "bulk_send_progress",
            "usage_plan",
            "session_health",
            "review_digest");
    assertThat(templates.json().get(1).get("name").asText()).isEqualTo("Lead Pipeline Report");
    assertThat(templates.json().get(1).get("description").asText()).contains("conversion rates");
  }

  @Test
  void reportIsCreatedListedEditedPausedResumedCancelledAndDeleted() {
    TestTenant tenant = tenant();
    Api api = tenant.api();
    LocalDateTime monday = nextMonday(BERLIN).atTime(9, 0);
    Api.Response created =
        api.post(
            REPORTS,
            Map.of(
                "name", "Weekly pipeline",
                "template_id", "lead_pipeline",
                "schedule_type", "weekly",
                "scheduled_time", monday.toString(),
                "timezone", "Europe/Berlin"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    assertThat(created.text("name")).isEqualTo("Weekly pipeline");
    assertThat(created.text("template_id")).isEqualTo("lead_pipeline");
    assertThat(created.text("schedule_type")).isEqualTo("weekly");
    assertThat(created.json().get("cron_expression").isNull()).isTrue();
    assertThat(created.text("timezone")).isEqualTo("Europe/Berlin");
    assertThat(created.text("delivery_method")).isEqualTo("dashboard");
    assertThat(created.json().get("delivery_session_id").isNull()).isTrue();
    assertThat(created.text("status")).isEqualTo("active");
    assertThat(Instant.parse(created.text("next_run_at")))
        .isEqualTo(monday.atZone(BERLIN).toInstant());
    assertThat(created.text("created_at")).isNotNull();

    Api.Response list = api.get(REPORTS);
    assertThat(list.json().get("total").asInt()).isEqualTo(1);
    assertThat(list.json().get("items").findValuesAsText("id")).containsExactly(id);
    assertThat(api.get(REPORTS + "?status=paused").json().get("total").asInt()).isZero();
    assertThat(api.get(REPORTS + "?status=sleeping").status()).isEqualTo(422);
    JsonNode detail = schedule(tenant, id);
    assertThat(detail.get("runs")).isEmpty();
    assertThat(detail.get("process_instance_key").isNull()).isFalse();

    Api.Response byCron =
        api.patch(
            REPORTS + "/" + id,
            Map.of(
                "cron_expression",
                "30 7 * * 1-5",
                "name",
                "Weekday pipeline",
                "timezone",
                "America/New_York"));
    assertThat(byCron.status()).as(byCron.toString()).isEqualTo(200);
    assertThat(byCron.text("name")).isEqualTo("Weekday pipeline");
    assertThat(byCron.text("cron_expression")).isEqualTo("30 7 * * 1-5");
    ZonedDateTime next =
        Instant.parse(byCron.text("next_run_at")).atZone(ZoneId.of("America/New_York"));
    assertThat(next.toLocalTime()).hasToString("07:30");
    assertThat(next.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

    assertThat(api.post(REPORTS + "/" + id + "/resume").status()).isEqualTo(409);
    assertThat(api.post(REPORTS + "/" + id + "/pause").text("status")).isEqualTo("paused");
    assertThat(api.post(REPORTS + "/" + id + "/pause").status()).isEqualTo(409);
    Api.Response resumed = api.post(REPORTS + "/" + id + "/resume");
    assertThat(resumed.text("status")).isEqualTo("active");
    assertThat(resumed.text("next_run_at")).isNotNull();
    Api.Response cancelled = api.post(REPORTS + "/" + id + "/cancel");
    assertThat(cancelled.text("status")).isEqualTo("cancelled");
    assertThat(cancelled.json().get("next_run_at").isNull()).isTrue();
    Api.Response tooLate = api.patch(REPORTS + "/" + id, Map.of("name", "too late"));
    assertThat(tooLate.status()).isEqualTo(409);
    assertThat(tooLate.text("detail"))
        .contains("is cancelled; only an active or paused report can be changed");
    assertThat(api.delete(REPORTS + "/" + id).status()).isEqualTo(204);
    assertThat(api.get(REPORTS + "/" + id).status()).isEqualTo(404);
    assertThat(api.get(REPORTS + "/" + id + "/runs").status()).isEqualTo(404);
    assertThat(api.delete(REPORTS + "/" + id).status()).isEqualTo(404);
  }

  @Test
  void invalidReportsAreRefusedWithAClearDetail() {
    TestTenant tenant = tenant();
    String session = tenant.workingSession();
    Map<Map<String, Object>, String> cases =
        Map.ofEntries(
            Map.entry(
                with("template_id", null),
                "template_id is required: one of daily_activity, lead_pipeline"),
            Map.entry(with("template_id", "weather"), "template_id must be one of daily_activity"),
            Map.entry(with("name", " "), "name must be 1 to 255 characters"),
            Map.entry(with("name", "x".repeat(256)), "name must be 1 to 255 characters"),
            Map.entry(with("schedule_type", null), "schedule_type is required"),
            Map.entry(
                with("schedule_type", "hourly"),
                "schedule_type must be one of one_time, daily, weekly, monthly, cron"),
            Map.entry(
                with("timezone", "Mars/Olympus_Mons"),
                "timezone 'Mars/Olympus_Mons' is not an IANA time zone"),
            Map.entry(
                with("cron_expression", "every monday"), "has 2 fields; use the 5 standard ones"),
            Map.entry(with("cron_expression", "0 9 * * 8"), "is not a valid cron expression"),
            Map.entry(
                with("cron_expression", "*/2 * * * *"),
                "the minimum interval between runs is 5 minutes"),
            Map.entry(
                with("cron_expression", null), "cron_expression is required for a cron schedule"),
            Map.entry(
                with(
                    "schedule_type",
                    "one_time",
                    "cron_expression",
                    null,
                    "scheduled_time",
                    clock.instant().minusSeconds(60).toString()),
                "is in the past"),
            Map.entry(
                with("schedule_type", "one_time", "cron_expression", null, "scheduled_time", null),
                "scheduled_time is required for a one_time schedule"),
            Map.entry(
                with("scheduled_time", "next tuesday"),
                "scheduled_time 'next tuesday' is not an ISO 8601 date-time"),
            Map.entry(
                with("delivery_method", "email"),
                "delivery_method must be 'dashboard' or 'whatsapp'"),
            Map.entry(
                with("delivery_session_id", session),
                "delivery_session_id and delivery_chat_id are only for delivery_method whatsapp"),
            Map.entry(
                with(
                    "delivery_method",
                    "whatsapp",
                    "delivery_session_id",
                    session,
                    "delivery_chat_id",
                    "not-a-chat"),
                "'not-a-chat' is not a valid chat id"),
            Map.entry(
                with(
                    "delivery_method",
                    "whatsapp",
                    "delivery_session_id",
                    session,
                    "delivery_chat_id",
                    "120363000000000999@g.us"),
                "is not a group session " + session + " is in"));

    cases.forEach((body, detail) -> {
      Api.Response refused = tenant.api().post(REPORTS, body);
      assertThat(refused.status()).as("%s → %s", body, refused).isEqualTo(422);
      assertThat(refused.text("detail")).as("%s", body).contains(detail);
    });

    Api.Response unknownSession =
        tenant
            .api()
            .post(
                REPORTS,
                with(
                    "delivery_method",
                    "whatsapp",
                    "delivery_session_id",
                    UUID.randomUUID().toString()));
    assertThat(unknownSession.status()).isEqualTo(404);
    assertThat(unknownSession.text("detail")).startsWith("Session '");
    assertThat(tenant.api().get(REPORTS).json().get("total").asInt())
        .as("nothing was stored")
        .isZero();
    assertThat(tenant.api().post(REPORTS, with()).status()).isEqualTo(201);
  }

  @Test
  void thePlanCapsActiveAndPausedReports() {
    TestTenant free = tenant("free");
    assertThat(free.api().post(REPORTS, with()).status()).isEqualTo(201);
    String second = free.api().post(REPORTS, with("template_id", "usage_plan")).text("id");

    Api.Response third = free.api().post(REPORTS, with("template_id", "session_health"));

    assertThat(third.status()).isEqualTo(403);
    assertThat(third.text("detail"))
        .isEqualTo(
            "The Free plan allows 2 scheduled report(s) and this tenant has 2 active or paused; cancel or delete one,"
                + " or upgrade (GET /api/v2/billing/plans)");
    assertThat(free.api().post(REPORTS + "/" + second + "/pause").status())
        .as("paused ones count too")
        .isEqualTo(200);
    assertThat(free.api().post(REPORTS, with("template_id", "session_health")).status())
        .isEqualTo(403);
    assertThat(free.api().post(REPORTS + "/" + second + "/cancel").status()).isEqualTo(200);
    assertThat(free.api().post(REPORTS, with("template_id", "session_health")).status())
        .isEqualTo(201);
    assertThat(free.api().get(REPORTS).json().get("total").asInt()).isEqualTo(3);
  }

  @Test
  void scopesAreEnforcedAndOtherTenantsSeeNothing() {
    TestTenant tenant = tenant();
    String id = tenant.api().post(REPORTS, with()).text("id");
    String run = tenant.api().post(REPORTS + "/" + id + "/run").text("id");

    Api reader = tenant.keyWithScopes("reports:read");
    assertThat(reader.get(REPORTS).status()).isEqualTo(200);
    assertThat(reader.get(REPORTS + "/" + id + "/runs/" + run).status()).isEqualTo(200);
    for (Api.Response forbidden :
        List.of(
            reader.post(REPORTS, with()),
            reader.patch(REPORTS + "/" + id, Map.of("name", "x")),
            reader.post(REPORTS + "/" + id + "/pause"),
            reader.post(REPORTS + "/" + id + "/run"),
            reader.delete(REPORTS + "/" + id))) {
      assertThat(forbidden.status()).as(forbidden.toString()).isEqualTo(403);
      assertThat(forbidden.header("X-Required-Scopes")).isEqualTo("reports:manage");
    }
    Api outsider = tenant.keyWithScopes("leads:read");
    assertThat(outsider.get(REPORTS + "/templates").status()).isEqualTo(403);
    assertThat(outsider.get(REPORTS).header("X-Required-Scopes")).isEqualTo("reports:read");

    Api other = tenant().api();
    assertThat(other.get(REPORTS + "/" + id).status()).isEqualTo(404);
    assertThat(other.get(REPORTS + "/" + id + "/runs").status()).isEqualTo(404);
    assertThat(other.get(REPORTS + "/" + id + "/runs/" + run).status()).isEqualTo(404);
    assertThat(other.patch(REPORTS + "/" + id, Map.of("name", "mine")).status()).isEqualTo(404);
    assertThat(other.post(REPORTS + "/" + id + "/pause").status()).isEqualTo(404);
    assertThat(other.post(REPORTS + "/" + id + "/run").status()).isEqualTo(404);
    assertThat(other.delete(REPORTS + "/" + id).status()).isEqualTo(404);
    assertThat(other.get(REPORTS).json().get("total").asInt()).isZero();
    assertThat(schedule(tenant, id).get("status").asText()).isEqualTo("active");
    String othersSession = newTenant().workingSession();
    Api.Response foreignSession =
        tenant
            .api()
            .post(
                REPORTS, with("delivery_method", "whatsapp", "delivery_session_id", othersSession));
    assertThat(foreignSession.status())
        .as("another tenant's session looks like none")
        .isEqualTo(404);
  }

  @Test
  void anIdempotencyKeyReplaysTheCreationAndTheRun() {
    TestTenant tenant = tenant();
    Api keyed = tenant.api().withHeader("Idempotency-Key", "weekly-pipeline-1");
    Map<String, Object> body = with();

    Api.Response first = keyed.post(REPORTS, body);
    Api.Response again = keyed.post(REPORTS, body);
    Map<String, Object> another = new HashMap<>(body);
    another.put("name", "Another");
    Api.Response different = keyed.post(REPORTS, another);

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("id")).isEqualTo(first.text("id"));
    assertThat(different.status()).isEqualTo(422);
    assertThat(different.text("detail"))
        .contains("Idempotency-Key 'weekly-pipeline-1' was already used for a different report");
    assertThat(tenant.api().get(REPORTS).json().get("total").asInt()).isEqualTo(1);

    Api runKey = tenant.api().withHeader("Idempotency-Key", "run-1");
    Api.Response run = runKey.post(REPORTS + "/" + first.text("id") + "/run");
    Api.Response runAgain = runKey.post(REPORTS + "/" + first.text("id") + "/run");
    assertThat(run.status()).isEqualTo(201);
    assertThat(runAgain.status()).isEqualTo(200);
    assertThat(runAgain.text("id")).isEqualTo(run.text("id"));
    assertThat(history(tenant, first.text("id"))).hasSize(1);
  }

  @Test
  void aReportGeneratedNowShowsRealFiguresAsTextAndJson() {
    TestTenant tenant = tenant();
    String ana = lead(tenant, "4915100003001", "Ana", "Porto flat hunters");
    String ben = lead(tenant, "4915100003002", "Ben", "Porto flat hunters");
    lead(tenant, "4915100003003", "Chloé", null);
    String dee = lead(tenant, "4915100003004", "Dee", "Lisbon rentals");
    moveLead(tenant, ana, "contacted");
    moveLead(tenant, ben, "converted");
    moveLead(tenant, dee, "lost");
    String id =
        tenant
            .api()
            .post(
                REPORTS,
                Map.of(
                    "template_id",
                    "lead_pipeline",
                    "schedule_type",
                    "cron",
                    "cron_expression",
                    "0 9 * * 1"))
            .text("id");

    Api.Response generated = tenant.api().post(REPORTS + "/" + id + "/run");

    assertThat(generated.status()).as(generated.toString()).isEqualTo(201);
    JsonNode run = generated.json();
    assertThat(run.get("trigger").asText()).isEqualTo("manual");
    assertThat(run.get("status").asText()).isEqualTo("generated");
    assertThat(run.get("template_id").asText()).isEqualTo("lead_pipeline");
    assertThat(
            Duration.between(
                Instant.parse(run.get("period_start").asText()),
                Instant.parse(run.get("period_end").asText())))
        .as("a weekly cron covers a week")
        .isEqualTo(Duration.ofDays(7));
    assertThat(run.at("/delivery/method").asText()).isEqualTo("dashboard");
    String text = run.get("text").asText();
    assertThat(text)
        .startsWith("🎯 *Lead Pipeline Report*\n")
        .contains("*Pipeline: 4 leads, 4 new*")
        .contains(
            "• New: 1 (25%)", "• Contacted: 1 (25%)", "• Converted: 1 (25%)", "• Lost: 1 (25%)")
        .contains("• Won vs lost: 50%")
        .contains("• Porto flat hunters: 2", "• Lisbon rentals: 1", "• Entered by hand: 1");
    JsonNode figures = run.at("/data/figures");
    assertThat(figures.get("total").asLong()).isEqualTo(4);
    assertThat(figures.get("conversion_percent").asDouble()).isEqualTo(25.0);
    assertThat(figures.get("stages").findValuesAsText("status"))
        .containsExactly("new", "contacted", "qualified", "converted", "lost");
    assertThat(run.at("/data/template_id").asText()).isEqualTo("lead_pipeline");

    String runId = run.get("id").asText();
    JsonNode stored = run(tenant, id, runId);
    assertThat(stored.get("text").asText()).isEqualTo(text);
    assertThat(stored.get("data")).isEqualTo(run.get("data"));
    Api.Response plain = tenant.api().get(REPORTS + "/" + id + "/runs/" + runId + "/text");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.header("Content-Type")).startsWith("text/plain");
    assertThat(plain.body()).isEqualTo(text);
    JsonNode listed = history(tenant, id).getFirst();
    assertThat(listed.get("id").asText()).isEqualTo(runId);
    assertThat(listed.get("text").isNull()).as("lists leave the content out").isTrue();
    assertThat(schedule(tenant, id).get("runs").findValuesAsText("id")).containsExactly(runId);
    JsonNode report = schedule(tenant, id);
    assertThat(report.get("run_count").asInt())
        .as("a manual run leaves the schedule alone")
        .isZero();
    assertThat(report.get("last_run_at").isNull()).isTrue();
    assertThat(tenant.api().get(REPORTS + "/" + id + "/runs/" + UUID.randomUUID()).status())
        .isEqualTo(404);
  }

  @Test
  void theReviewDigestSaysNoCollectorIsConfigured() {
    TestTenant tenant = tenant();
    String id = tenant.api().post(REPORTS, with("template_id", "review_digest")).text("id");

    JsonNode run = tenant.api().post(REPORTS + "/" + id + "/run").json();

    assertThat(run.get("text").asText()).contains("*No review collectors configured*");
    assertThat(run.at("/data/figures/collectors_configured").asInt()).isZero();
    assertThat(run.at("/data/figures/reviews_available").asBoolean()).isFalse();
  }

  /**
   * "Send the lead pipeline report to my team group every Monday 9:00": a weekly report delivered
   * on WhatsApp to a group the number is in; at 09:00 Berlin time the process generates it and the
   * outbox sends it through the number's send governor to the simulated WhatsApp group.
   */
  @Test
  void theLeadPipelineReachesTheTeamGroupEveryMondayAtNine() {
    TestTenant tenant = tenant();
    String session = tenant.workingSession();
    String team =
        tenant
            .api()
            .post(
                "/api/v2/simulator/sessions/" + session + "/groups",
                Map.of(
                    "subject",
                    "Sales team",
                    "participants",
                    List.of("4915100004001", "4915100004002")))
            .text("group_id");
    String ana = lead(tenant, "4915100004101", "Ana", "Porto flat hunters");
    lead(tenant, "4915100004102", "Ben", "Porto flat hunters");
    moveLead(tenant, ana, "qualified");

    Api.Response created =
        tenant
            .api()
            .post(
                REPORTS,
                Map.of(
                    "name", "Team pipeline",
                    "template_id", "lead_pipeline",
                    "schedule_type", "weekly",
                    "cron_expression", "0 9 * * 1",
                    "timezone", "Europe/Berlin",
                    "delivery_method", "whatsapp",
                    "delivery_session_id", session,
                    "delivery_chat_id", team));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.text("delivery_method")).isEqualTo("whatsapp");
    assertThat(created.text("delivery_chat_id")).isEqualTo(team);
    String id = created.text("id");
    Instant monday = Instant.parse(created.text("next_run_at"));
    assertThat(monday.atZone(BERLIN).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
    assertThat(monday.atZone(BERLIN).toLocalTime()).hasToString("09:00");
    awaitTimer(tenant, id);

    assertThat(runNext(tenant, id)).isEqualTo(monday);

    JsonNode delivered = awaitDeliveryTo(tenant, session, team, 1).getLast();
    assertThat(delivered.get("body").asText())
        .startsWith("🎯 *Lead Pipeline Report*\n_Team pipeline_\n")
        .contains("*Pipeline: 2 leads, 2 new*", "• Qualified: 1 (50%)", "• Porto flat hunters: 2");
    JsonNode run = history(tenant, id).getFirst();
    assertThat(run.get("status").asText()).isEqualTo("generated");
    assertThat(run.at("/delivery/chat_id").asText()).isEqualTo(team);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() ->
            assertThat(run(tenant, id, run.get("id").asText()).at("/delivery/status").asText())
                .isIn("sent", "delivered", "read"));
    JsonNode message =
        tenant
            .api()
            .get(
                "/api/v2/messages/"
                    + run(tenant, id, run.get("id").asText()).at("/delivery/message_id").asText())
            .json();
    assertThat(message.get("chat_id").asText()).isEqualTo(team);

    // The next Monday, a week later at the same local time, reaches the group again.
    awaitTimer(tenant, id);
    Instant nextMonday = runNext(tenant, id);
    assertThat(nextMonday).isEqualTo(monday.atZone(BERLIN).plusWeeks(1).toInstant());
    assertThat(awaitDeliveryTo(tenant, session, team, 2)).hasSize(2);
  }

  @Test
  void aReportGoesToAContactWhoWroteFirstAndARunWhoseSessionIsGoneFails() {
    TestTenant tenant = tenant();
    String session = tenant.workingSession();
    tenant.contactWrites(session, "4915100005001", "Please send me the numbers every morning");
    // Inbound messages are recorded asynchronously: only once the contact is known has it written
    // first.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            tenant.api().get("/api/v2/custom-groups/contacts").body().contains("4915100005001"));
    Api.Response noChat =
        tenant
            .api()
            .post(
                REPORTS,
                Map.of(
                    "template_id",
                    "session_health",
                    "schedule_type",
                    "daily",
                    "cron_expression",
                    "0 8 * * *",
                    "delivery_method",
                    "whatsapp"));
    assertThat(noChat.status()).isEqualTo(422);
    assertThat(noChat.text("detail"))
        .contains("delivery_chat_id is required for whatsapp delivery");

    Api.Response created =
        tenant
            .api()
            .post(
                REPORTS,
                Map.of(
                    "template_id",
                    "session_health",
                    "schedule_type",
                    "daily",
                    "cron_expression",
                    "0 8 * * *",
                    "delivery_method",
                    "whatsapp",
                    "delivery_chat_id",
                    "+49 151 0000 5001"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.text("delivery_session_id"))
        .as("the tenant's only session")
        .isEqualTo(session);
    assertThat(created.text("delivery_chat_id")).isEqualTo("4915100005001@c.us");
    String id = created.text("id");
    JsonNode run = tenant.api().post(REPORTS + "/" + id + "/run").json();
    assertThat(run.get("text").asText()).contains("*Sessions: 1 of 1 working*");
    assertThat(
            awaitDeliveryTo(tenant, session, "4915100005001@c.us", 1)
                .getFirst()
                .get("body")
                .asText())
        .isEqualTo(run.get("text").asText());

    assertThat(tenant.api().delete("/api/v2/sessions/" + session).status()).isEqualTo(204);
    JsonNode orphan = tenant.api().post(REPORTS + "/" + id + "/run").json();
    assertThat(orphan.get("status").asText()).isEqualTo("failed");
    assertThat(orphan.get("error").asText()).contains("session " + session + " no longer exists");
    assertThat(orphan.get("text").asText())
        .as("still on the dashboard")
        .contains("*Sessions: 0 of 0 working*");
    assertThat(orphan.at("/delivery/status").isNull()).isTrue();
  }

  private List<JsonNode> awaitDeliveryTo(
      TestTenant tenant, String session, String chat, int count) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> deliveriesTo(tenant, session, chat).size() >= count);
    return deliveriesTo(tenant, session, chat);
  }

  private List<JsonNode> deliveriesTo(TestTenant tenant, String session, String chat) {
    JsonNode deliveries =
        tenant.api().get("/api/v2/simulator/sessions/" + session + "/deliveries").json();
    return StreamSupport.stream(deliveries.spliterator(), false)
        .filter(d -> chat.equals(d.get("chat_id").asText()))
        .toList();
  }

  private java.time.LocalDate nextMonday(ZoneId zone) {
    return clock
        .instant()
        .atZone(zone)
        .toLocalDate()
        .plusDays(1)
        .with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
  }

  /**
   * A valid Monday-morning cron report on the dashboard, with some fields replaced (null removes
   * one).
   */
  private Map<String, Object> with(Object... replacements) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", "Monday pipeline");
    body.put("template_id", "lead_pipeline");
    body.put("schedule_type", "cron");
    body.put("cron_expression", "0 9 * * 1");
    body.put("scheduled_time", clock.instant().plusSeconds(3600).toString());
    body.put("timezone", "Europe/Berlin");
    for (int i = 0; i < replacements.length; i += 2) {
      if (replacements[i + 1] == null) {
        body.remove((String) replacements[i]);
      } else {
        body.put((String) replacements[i], replacements[i + 1]);
      }
    }
    return body;
  }
}
