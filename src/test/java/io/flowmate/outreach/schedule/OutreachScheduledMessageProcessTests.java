package io.flowmate.outreach.schedule;

import static io.flowmate.outreach.schedule.ScheduledMessageProcess.CHANGED_EVENT;
import static io.flowmate.outreach.schedule.ScheduledMessageProcess.CHANGED_WHILE_PAUSED_EVENT;
import static io.flowmate.outreach.schedule.ScheduledMessageProcess.FINISHED_END;
import static io.flowmate.outreach.schedule.ScheduledMessageProcess.OCCURRENCE_TIMER;
import static io.flowmate.outreach.schedule.ScheduledMessageProcess.PLAN_TASK;
import static io.flowmate.outreach.schedule.ScheduledMessageProcess.SEND_TASK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bpmn/outreach-scheduled-message.bpmn} on the embedded engine with its real workers, moving
 * the engine's (and the application's) clock instead of sleeping: recurring occurrences fire and
 * reach the simulated WhatsApp, pause and resume, cancel, an edit re-times the waiting instance, a
 * one-time schedule completes, DST and month ends, and occurrences missed by more than the grace
 * period. Outcomes are checked in the API, the engine's records and the simulator.
 */
class OutreachScheduledMessageProcessTests extends ScheduledMessageTestSupport {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private TestTenant tenant;
  private String session;

  @BeforeEach
  void tenantWithASession() {
    tenant = tenant();
    session = tenant.workingSession();
  }

  @Test
  void recurringScheduleSendsAtEveryOccurrence() {
    LocalDateTime tomorrowAtEight = today(BERLIN).plusDays(1).atTime(8, 0);
    String id =
        createWaiting(
            tenant, daily("Good morning, the shop opens at nine.", tomorrowAtEight, BERLIN));
    Instant first = nextRunAt(tenant, id);
    assertThat(first).isEqualTo(tomorrowAtEight.atZone(BERLIN).toInstant());

    assertThat(runNext(tenant, id)).isEqualTo(first);
    awaitTimer(tenant, id);
    Instant second = runNext(tenant, id);

    assertThat(second).isEqualTo(first.atZone(BERLIN).plusDays(1).toInstant());
    assertThat(awaitDeliveries(tenant, session, 2))
        .containsExactly(
            "Good morning, the shop opens at nine.", "Good morning, the shop opens at nine.");
    List<JsonNode> history = history(tenant, id);
    assertThat(history)
        .extracting(h -> h.get("occurrence").asText())
        .containsExactly(second.toString(), first.toString());
    assertThat(history)
        .allSatisfy(h -> {
          assertThat(h.get("status").asText()).isEqualTo("executed");
          assertThat(h.get("recipients").asInt()).isEqualTo(1);
          assertThat(h.get("queued_count").asInt()).isEqualTo(1);
        });
    JsonNode schedule = schedule(tenant, id);
    assertThat(schedule.get("run_count").asInt()).isEqualTo(2);
    assertThat(schedule.get("last_run_at").asText()).isEqualTo(second.toString());
    assertThat(Instant.parse(schedule.get("next_run_at").asText()))
        .isEqualTo(second.atZone(BERLIN).plusDays(1).toInstant());
    long instance = processInstance(tenant, id);
    List<String> completed = records().completedElements(instance);
    assertThat(Collections.frequency(completed, SEND_TASK)).isEqualTo(2);
    assertThat(Collections.frequency(completed, OCCURRENCE_TIMER)).isEqualTo(2);
    assertThat(records().isCompleted(instance)).isFalse();
    assertThat(records().incidents(instance)).isEmpty();
  }

  @Test
  void pausedScheduleSendsNothingUntilResumed() {
    LocalDateTime start = LocalDateTime.now(clock).plusHours(2).withSecond(0).withNano(0);
    String id = createWaiting(tenant, daily("Daily report is ready", start, ZoneId.of("UTC")));
    long instance = processInstance(tenant, id);

    Api.Response paused = tenant.api().post("/api/v2/scheduled-messages/" + id + "/pause");

    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.text("status")).isEqualTo("paused");
    assertThat(paused.json().get("next_run_at").isNull()).isTrue();
    awaitCompleted(instance, CHANGED_EVENT);
    clock.travel(Duration.ofDays(2));
    assertThat(history(tenant, id)).isEmpty();
    assertThat(tenant.deliveredTexts(session)).isEmpty();

    Api.Response resumed = tenant.api().post("/api/v2/scheduled-messages/" + id + "/resume");

    assertThat(resumed.text("status")).isEqualTo("active");
    Instant next = Instant.parse(resumed.text("next_run_at"));
    assertThat(next).isAfter(clock.instant()).isBefore(clock.instant().plus(Duration.ofDays(1)));
    awaitCompleted(instance, CHANGED_WHILE_PAUSED_EVENT);
    awaitTimer(tenant, id);
    assertThat(runNext(tenant, id)).isEqualTo(next);
    assertThat(awaitDeliveries(tenant, session, 1)).containsExactly("Daily report is ready");
  }

  @Test
  void cancelledScheduleEndsItsInstance() {
    LocalDateTime monday = today(NEW_YORK).plusWeeks(1).atTime(9, 0);
    String id = createWaiting(tenant, weekly("Weekly digest", monday, NEW_YORK));
    long instance = processInstance(tenant, id);

    Api.Response cancelled = tenant.api().post("/api/v2/scheduled-messages/" + id + "/cancel");

    assertThat(cancelled.text("status")).isEqualTo("cancelled");
    await().atMost(Duration.ofSeconds(10)).until(() -> records().isCompleted(instance));
    assertThat(records().completedElements(instance))
        .contains(CHANGED_EVENT, FINISHED_END)
        .doesNotContain(SEND_TASK);
    clock.travel(Duration.ofDays(15));
    assertThat(history(tenant, id)).isEmpty();
    assertThat(tenant.deliveredTexts(session)).isEmpty();
    assertThat(tenant.api().post("/api/v2/scheduled-messages/" + id + "/resume").status())
        .isEqualTo(409);
  }

  @Test
  void editReTimesTheWaitingInstance() {
    LocalDate day = today(BERLIN).plusDays(2);
    String id = createWaiting(tenant, daily("Standup at 09:15", day.atTime(9, 0), BERLIN));

    Api.Response edited =
        tenant
            .api()
            .patch(
                "/api/v2/scheduled-messages/" + id,
                Map.of(
                    "scheduled_time",
                    day.atTime(7, 30).toString(),
                    "message_content",
                    "Standup moved to 07:45"));

    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    Instant earlier = day.atTime(7, 30).atZone(BERLIN).toInstant();
    assertThat(Instant.parse(edited.text("next_run_at"))).isEqualTo(earlier);
    awaitTimer(tenant, id);
    assertThat(runNext(tenant, id)).isEqualTo(earlier);
    assertThat(awaitDeliveries(tenant, session, 1)).containsExactly("Standup moved to 07:45");
    // The old time passes without a second message that day.
    clock.travelPast(day.atTime(9, 0).atZone(BERLIN).toInstant());
    assertThat(history(tenant, id)).hasSize(1);
    assertThat(tenant.deliveredTexts(session)).hasSize(1);
    assertThat(nextRunAt(tenant, id))
        .isEqualTo(day.plusDays(1).atTime(7, 30).atZone(BERLIN).toInstant());
  }

  @Test
  void oneTimeScheduleCompletesAfterItsRun() {
    Instant at =
        clock
            .instant()
            .plus(Duration.ofHours(3))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Api.Response created =
        create(
            tenant,
            Map.of(
                "name", "Launch announcement",
                "session_id", session,
                "chat_id", "4915100000901",
                "schedule_type", "one_time",
                "scheduled_time", at.toString(),
                "message_content", "We are live!"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");
    awaitTimer(tenant, id);
    long instance = processInstance(tenant, id);

    assertThat(runNext(tenant, id)).isEqualTo(at);

    await().atMost(Duration.ofSeconds(10)).until(() -> records().isCompleted(instance));
    JsonNode schedule = schedule(tenant, id);
    assertThat(schedule.get("status").asText()).isEqualTo("completed");
    assertThat(schedule.get("next_run_at").isNull()).isTrue();
    assertThat(records().completedElements(instance))
        .containsSubsequence(SEND_TASK, PLAN_TASK, FINISHED_END);
    assertThat(awaitDeliveries(tenant, session, 1)).containsExactly("We are live!");
    assertThat(tenant.api().delete("/api/v2/scheduled-messages/" + id).status()).isEqualTo(204);
  }

  @Test
  void weeklyScheduleKeepsItsLocalTimeAcrossDaylightSavingTime() {
    // The next New York clock change at least 9 days away; start 8 days before it (in the future).
    Instant change =
        NEW_YORK.getRules().nextTransition(clock.instant().plus(Duration.ofDays(9))).getInstant();
    LocalDateTime start = change.atZone(NEW_YORK).toLocalDate().minusDays(8).atTime(9, 0);
    String id = createWaiting(tenant, weekly("Weekly plan: {first_name}", start, NEW_YORK));

    Instant before = runNext(tenant, id);
    awaitTimer(tenant, id);
    Instant justBefore = runNext(tenant, id);
    awaitTimer(tenant, id);
    Instant after = runNext(tenant, id);

    assertThat(List.of(before, justBefore, after))
        .allSatisfy(
            at -> assertThat(at.atZone(NEW_YORK).toLocalTime()).isEqualTo(LocalTime.of(9, 0)));
    assertThat(justBefore).isBefore(change);
    assertThat(after).isAfter(change);
    assertThat(Duration.between(justBefore, after))
        .as("a week across the clock change is an hour shorter or longer")
        .isIn(Duration.ofDays(7).minusHours(1), Duration.ofDays(7).plusHours(1));
    // No name for a single chat: the placeholder is left out cleanly.
    assertThat(awaitDeliveries(tenant, session, 3)).containsOnly("Weekly plan:");
  }

  @Test
  void monthlyOnThe31stFallsBackToTheLastDayOfAShorterMonth() {
    YearMonth month = YearMonth.from(today(ZoneId.of("UTC"))).plusMonths(1);
    while (month.lengthOfMonth() < 31 || month.plusMonths(1).lengthOfMonth() == 31) {
      month = month.plusMonths(1);
    }
    LocalDateTime on31st = month.atDay(31).atTime(10, 0);
    String id =
        createWaiting(
            tenant,
            Map.of(
                "session_id", session,
                "chat_id", "4915100000902",
                "schedule_type", "monthly",
                "scheduled_time", on31st.toString(),
                "message_content", "Month-end closing today"));

    Instant first = runNext(tenant, id);
    awaitTimer(tenant, id);
    Instant second = runNext(tenant, id);

    assertThat(first).isEqualTo(on31st.toInstant(java.time.ZoneOffset.UTC));
    assertThat(second)
        .isEqualTo(
            month.plusMonths(1).atEndOfMonth().atTime(10, 0).toInstant(java.time.ZoneOffset.UTC));
    assertThat(nextRunAt(tenant, id).atZone(ZoneId.of("UTC")).getDayOfMonth())
        .isEqualTo(Math.min(31, month.plusMonths(2).lengthOfMonth()));
  }

  @Test
  void occurrencesMissedByMoreThanTheGraceAreRecordedAndOnlyTheLatestIsSent() {
    LocalDateTime start = LocalDateTime.now(clock).plusHours(1).withSecond(0).withNano(0);
    String id = createWaiting(tenant, daily("Check the dashboard", start, ZoneId.of("UTC")));
    Instant first = nextRunAt(tenant, id);

    // Three days at once: the first three occurrences are long past when their jobs run.
    clock.travel(Duration.between(clock.instant(), first.plus(Duration.ofDays(3)).plusSeconds(1)));

    List<JsonNode> history = awaitHistory(tenant, id, 4);
    assertThat(history)
        .extracting(h -> h.get("status").asText() + " " + h.get("occurrence").asText())
        .containsExactly(
            "executed " + first.plus(Duration.ofDays(3)),
            "missed " + first.plus(Duration.ofDays(2)),
            "missed " + first.plus(Duration.ofDays(1)),
            "missed " + first);
    assertThat(history.get(3).get("error").asText()).contains("not sent").contains("1h");
    assertThat(awaitDeliveries(tenant, session, 1)).containsExactly("Check the dashboard");
    assertThat(nextRunAt(tenant, id)).isEqualTo(first.plus(Duration.ofDays(4)));
    assertThat(schedule(tenant, id).get("run_count").asInt()).isEqualTo(1);
  }

  private LocalDate today(ZoneId zone) {
    return clock.instant().atZone(zone).toLocalDate();
  }

  private void awaitCompleted(long instance, String element) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> records().completedElements(instance).contains(element));
  }

  private Map<String, Object> daily(String text, LocalDateTime at, ZoneId zone) {
    return recurring("daily", text, at, zone);
  }

  private Map<String, Object> weekly(String text, LocalDateTime at, ZoneId zone) {
    return recurring("weekly", text, at, zone);
  }

  private Map<String, Object> recurring(String type, String text, LocalDateTime at, ZoneId zone) {
    return Map.of(
        "name",
        type + " " + text,
        "session_id",
        session,
        "chat_id",
        "4915100000900",
        "schedule_type",
        type,
        "scheduled_time",
        at.toString(),
        "timezone",
        zone.getId(),
        "message_content",
        text);
  }
}
