package io.flowmate.outreach.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.TestGroups;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduled messages over HTTP: the API's shapes and rules (CRUD, validation with clear details,
 * plan and scopes, history), and the reference's case of a monthly payment reminder to the clients
 * of a custom group whose bills are unpaid, run by moving the clock.
 */
class ScheduledMessageIntegrationTests extends ScheduledMessageTestSupport {

  private static final String PATH = "/api/v2/scheduled-messages";

  private TestTenant tenant;
  private Api api;
  private String session;

  @BeforeEach
  void tenantWithASession() {
    tenant = tenant();
    api = tenant.api();
    session = tenant.workingSession();
  }

  @Test
  void scheduleIsCreatedListedEditedPausedResumedCancelledAndDeleted() {
    LocalDateTime monday = nextMonday().atTime(9, 0);
    Api.Response created =
        api.post(
            PATH,
            Map.of(
                "name", "Weekly team update",
                "session_id", session,
                "chat_id", "+49 151 0000 1001",
                "schedule_type", "weekly",
                "scheduled_time", monday.toString(),
                "timezone", "Europe/Berlin",
                "message_content", "Team update is in your inbox"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    assertThat(created.text("name")).isEqualTo("Weekly team update");
    assertThat(created.text("status")).isEqualTo("active");
    assertThat(created.text("schedule_type")).isEqualTo("weekly");
    assertThat(created.json().get("cron_expression").isNull()).isTrue();
    assertThat(created.text("timezone")).isEqualTo("Europe/Berlin");
    assertThat(created.text("chat_id")).isEqualTo("4915100001001@c.us");
    assertThat(created.text("scheduled_time"))
        .isEqualTo(
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                monday.atZone(ZoneId.of("Europe/Berlin"))))
        .startsWith(monday + ":00+0");
    assertThat(Instant.parse(created.text("next_run_at")))
        .isEqualTo(monday.atZone(ZoneId.of("Europe/Berlin")).toInstant());
    assertThat(created.text("created_at")).isNotNull();

    Api.Response list = api.get(PATH);
    assertThat(list.json().get("total").asInt()).isEqualTo(1);
    assertThat(list.json().get("items").findValuesAsText("id")).containsExactly(id);
    assertThat(api.get(PATH + "?status=paused").json().get("total").asInt()).isZero();
    JsonNode detail = api.get(PATH + "/" + id).json();
    assertThat(detail.get("history")).isEmpty();
    assertThat(detail.get("message_counts")).isEmpty();
    assertThat(detail.get("process_instance_key").isNull()).isFalse();

    // The same wall-clock time in another zone: the next run moves by the zones' difference.
    Api.Response moved =
        api.patch(
            PATH + "/" + id, Map.of("timezone", "America/New_York", "name", "Team update (NY)"));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.text("name")).isEqualTo("Team update (NY)");
    assertThat(Instant.parse(moved.text("next_run_at")))
        .isEqualTo(monday.atZone(ZoneId.of("America/New_York")).toInstant());
    Api.Response byCron = api.patch(PATH + "/" + id, Map.of("cron_expression", "30 7 * * 1-5"));
    assertThat(byCron.text("cron_expression")).isEqualTo("30 7 * * 1-5");
    assertThat(
            Instant.parse(byCron.text("next_run_at"))
                .atZone(ZoneId.of("America/New_York"))
                .toLocalTime())
        .hasToString("07:30");

    assertThat(api.post(PATH + "/" + id + "/resume").status()).isEqualTo(409);
    assertThat(api.post(PATH + "/" + id + "/pause").text("status")).isEqualTo("paused");
    assertThat(api.post(PATH + "/" + id + "/pause").status()).isEqualTo(409);
    assertThat(api.post(PATH + "/" + id + "/resume").text("status")).isEqualTo("active");
    Api.Response deleteActive = api.delete(PATH + "/" + id);
    assertThat(deleteActive.status()).isEqualTo(409);
    assertThat(deleteActive.text("detail")).contains("is active").contains("cancel it first");
    assertThat(api.post(PATH + "/" + id + "/cancel").text("status")).isEqualTo("cancelled");
    assertThat(api.patch(PATH + "/" + id, Map.of("name", "too late")).status()).isEqualTo(409);
    assertThat(api.delete(PATH + "/" + id).status()).isEqualTo(204);
    assertThat(api.get(PATH + "/" + id).status()).isEqualTo(404);
    assertThat(api.get(PATH + "/" + id + "/history").status()).isEqualTo(404);
  }

  @Test
  void theReferenceRootSamplesShapeIsAccepted() {
    Api.Response created =
        api.post(
            PATH,
            Map.of(
                "session_id", session,
                "chat_id", "4915100001002@c.us",
                "message", "Weekly check-in",
                "recurrence", "weekly",
                "scheduled_time", nextMonday().atTime(10, 0) + "Z"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.text("schedule_type")).isEqualTo("weekly");
    assertThat(created.text("message_content")).isEqualTo("Weekly check-in");
    assertThat(created.text("timezone")).isEqualTo("UTC");
    assertThat(created.text("name")).isEqualTo("Scheduled message");
  }

  @Test
  void invalidSchedulesAreRefusedWithAClearDetail() {
    String future = clock.instant().plusSeconds(7200).toString();
    String past = clock.instant().minusSeconds(60).toString();
    UUID group =
        new TestGroups(jdbc)
            .create(tenant.id(), List.of(TestGroups.Member.of("4915100001003", "Ana")));
    Map<Map<String, Object>, String> cases =
        Map.ofEntries(
            Map.entry(
                with("timezone", "Mars/Olympus_Mons"),
                "timezone 'Mars/Olympus_Mons' is not an IANA time zone"),
            Map.entry(
                with("schedule_type", "cron", "cron_expression", "every monday"),
                "has 2 fields; use the 5 standard ones"),
            Map.entry(
                with("schedule_type", "cron", "cron_expression", "0 9 * * 8"),
                "is not a valid cron expression"),
            Map.entry(
                with("schedule_type", "cron", "cron_expression", "*/2 * * * *"),
                "fires 2 minutes apart at times; the minimum interval between runs is 5 minutes"),
            Map.entry(with("scheduled_time", past), "is in the past"),
            Map.entry(
                with("scheduled_time", "next tuesday"),
                "scheduled_time 'next tuesday' is not an ISO 8601 date-time"),
            Map.entry(
                with("scheduled_time", null), "scheduled_time is required for a one_time schedule"),
            Map.entry(
                with("schedule_type", "weekly", "scheduled_time", null),
                "a weekly schedule needs cron_expression"),
            Map.entry(with("schedule_type", null), "schedule_type is required"),
            Map.entry(
                with("schedule_type", "hourly"),
                "schedule_type must be one of one_time, daily, weekly, monthly, cron"),
            Map.entry(
                with("message_content", null),
                "message_content (or message) is required for a text message"),
            Map.entry(
                with("message_content", "x".repeat(4097)),
                "message_content is 4097 characters long; the limit is 4096"),
            Map.entry(with("message_type", "media"), "media_url must be an http(s) URL"),
            Map.entry(with("session_id", null), "session_id is required"),
            Map.entry(with("chat_id", null), "a target is required: chat_id"),
            Map.entry(
                with("custom_group_id", group.toString()),
                "either chat_id (one chat) or custom_group_id"),
            Map.entry(
                with("filter", Map.of("unpaid", "yes")), "filter selects custom-group members"),
            Map.entry(with("chat_id", "not-a-number"), "is not a valid chat id"),
            Map.entry(with("name", " "), "name must be 1 to 255 characters"));

    cases.forEach((body, detail) -> {
      Api.Response refused = api.post(PATH, body);
      assertThat(refused.status()).as("%s → %s", body, refused).isEqualTo(422);
      assertThat(refused.text("detail")).as("%s", body).contains(detail);
    });

    Api.Response unknownSession = api.post(PATH, with("session_id", UUID.randomUUID().toString()));
    assertThat(unknownSession.status()).isEqualTo(404);
    assertThat(unknownSession.text("detail")).startsWith("Session '");
    Map<String, Object> toUnknownGroup =
        with("chat_id", null, "custom_group_id", UUID.randomUUID().toString());
    Api.Response unknownGroup = api.post(PATH, toUnknownGroup);
    assertThat(unknownGroup.status()).isEqualTo(404);
    assertThat(unknownGroup.text("detail")).startsWith("Custom group '");
    assertThat(api.post(PATH, with("scheduled_time", future)).status()).isEqualTo(201);
    assertThat(api.get(PATH).json().get("total").asInt())
        .as("only the valid one was stored")
        .isEqualTo(1);
  }

  @Test
  void freePlanCannotScheduleAndScopesAreEnforced() {
    TestTenant free = newTenant("free");
    Api.Response refused =
        free.api()
            .post(
                PATH,
                Map.of("session_id", UUID.randomUUID().toString(), "chat_id", "4915100001004"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text("detail")).contains("not included in the Free plan");

    Api reader = tenant.keyWithScopes("scheduled:read");
    assertThat(reader.get(PATH).status()).isEqualTo(200);
    Api.Response forbidden = reader.post(PATH, with());
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.header("X-Required-Scopes")).isEqualTo("scheduled:manage");

    String id = api.post(PATH, with()).text("id");
    assertThat(newTenant().api().get(PATH + "/" + id).status())
        .as("other tenants see nothing")
        .isEqualTo(404);
  }

  /**
   * "Send a payment reminder on the 28th of each month to all clients with unpaid bills": a custom
   * group filtered by a field, resolved again at each occurrence, personalised per member.
   */
  @Test
  void monthlyPaymentReminderReachesTheClientsWithUnpaidBills() {
    TestGroups groups = new TestGroups(jdbc);
    UUID clients =
        groups.create(
            tenant.id(),
            List.of(
                new TestGroups.Member(
                    "4915100002001", "Ana Lima", Map.of("unpaid", "yes", "invoice", "INV-101")),
                new TestGroups.Member(
                    "4915100002002", "Ben Okafor", Map.of("unpaid", "no", "invoice", "INV-102")),
                new TestGroups.Member(
                    "4915100002003", "Chloé Martin", Map.of("unpaid", "yes", "invoice", "INV-103")),
                new TestGroups.Member(
                    "4915100002004",
                    null,
                    Map.of("unpaid", "yes", "invoice", "INV-104", "first_name", "Dee")),
                new TestGroups.Member("4915100002005", "Eve Adams", Map.of("invoice", "INV-105"))));
    ZoneId lisbon = ZoneId.of("Europe/Lisbon");
    LocalDate today = clock.instant().atZone(lisbon).toLocalDate();
    LocalDateTime the28th =
        (today.getDayOfMonth() < 28 ? today : today.plusMonths(1)).withDayOfMonth(28).atTime(10, 0);
    Map<String, Object> body = new HashMap<>();
    body.put("name", "Payment reminder");
    body.put("session_id", session);
    body.put("custom_group_id", clients.toString());
    body.put("filter", Map.of("unpaid", "yes"));
    body.put("schedule_type", "monthly");
    body.put("scheduled_time", the28th.toString());
    body.put("timezone", "Europe/Lisbon");
    body.put(
        "message_content",
        "Hi {first_name}, invoice {invoice} is still open. Please pay by the end of the month.");

    String id = createWaiting(tenant, body);
    Instant first = runNext(tenant, id);

    assertThat(first).isEqualTo(the28th.atZone(lisbon).toInstant());
    assertThat(awaitDeliveries(tenant, session, 3))
        .containsExactlyInAnyOrder(
            "Hi Ana, invoice INV-101 is still open. Please pay by the end of the month.",
            "Hi Chloé, invoice INV-103 is still open. Please pay by the end of the month.",
            "Hi Dee, invoice INV-104 is still open. Please pay by the end of the month.");
    JsonNode run = history(tenant, id).getFirst();
    assertThat(run.get("status").asText()).isEqualTo("executed");
    assertThat(run.get("recipients").asInt()).isEqualTo(3);
    assertThat(run.get("queued_count").asInt()).isEqualTo(3);
    Instant second = nextRunAt(tenant, id);
    assertThat(second).isEqualTo(the28th.plusMonths(1).atZone(lisbon).toInstant());

    // Chloé paid; Ben did not: the filter is applied again next month.
    setUnpaid(clients, "4915100002003", "no");
    setUnpaid(clients, "4915100002002", "yes");
    awaitTimer(tenant, id);
    runNext(tenant, id);

    List<String> delivered = awaitDeliveries(tenant, session, 6);
    assertThat(delivered.subList(3, 6))
        .containsExactlyInAnyOrder(
            "Hi Ana, invoice INV-101 is still open. Please pay by the end of the month.",
            "Hi Ben, invoice INV-102 is still open. Please pay by the end of the month.",
            "Hi Dee, invoice INV-104 is still open. Please pay by the end of the month.");
    JsonNode detail = schedule(tenant, id);
    assertThat(detail.get("run_count").asInt()).isEqualTo(2);
    assertThat(detail.get("history").findValuesAsText("occurrence"))
        .containsExactly(second.toString(), first.toString());
    assertThat(
            detail.get("message_counts").properties().stream()
                .mapToLong(e -> e.getValue().asLong())
                .sum())
        .isEqualTo(6);

    Api.Response page = api.get(PATH + "/" + id + "/history?limit=1&offset=1");
    assertThat(page.json().get("total").asInt()).isEqualTo(2);
    assertThat(page.json().get("has_more").asBoolean()).isFalse();
    assertThat(page.json().get("items").findValuesAsText("occurrence"))
        .containsExactly(first.toString());
    assertThat(api.get(PATH + "/" + id + "/history?limit=1").json().get("has_more").asBoolean())
        .isTrue();
  }

  private void setUnpaid(UUID group, String phone, String unpaid) {
    jdbc.sql(
            "UPDATE outreach_custom_group_member SET fields = fields || jsonb_build_object('unpaid', :unpaid)"
                + " WHERE group_id = :group AND phone = :phone")
        .param("unpaid", unpaid)
        .param("group", group)
        .param("phone", phone)
        .update();
  }

  private LocalDate nextMonday() {
    return clock
        .instant()
        .atZone(ZoneId.of("UTC"))
        .toLocalDate()
        .plusDays(1)
        .with(java.time.temporal.TemporalAdjusters.nextOrSame(java.time.DayOfWeek.MONDAY));
  }

  /** A valid one-time schedule to a chat, with some fields replaced (null removes one). */
  private Map<String, Object> with(Object... replacements) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", "Reminder");
    body.put("session_id", session);
    body.put("chat_id", "4915100001000");
    body.put("schedule_type", "one_time");
    body.put("scheduled_time", clock.instant().plusSeconds(3600).toString());
    body.put("message_content", "See you tomorrow");
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
