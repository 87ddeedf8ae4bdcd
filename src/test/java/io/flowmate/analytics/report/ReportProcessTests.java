package io.flowmate.analytics.report;

import static io.flowmate.analytics.report.ReportProcess.CHANGED_EVENT;
import static io.flowmate.analytics.report.ReportProcess.CHANGED_WHILE_PAUSED_EVENT;
import static io.flowmate.analytics.report.ReportProcess.FINISHED_END;
import static io.flowmate.analytics.report.ReportProcess.GENERATE_TASK;
import static io.flowmate.analytics.report.ReportProcess.PLAN_TASK;
import static io.flowmate.analytics.report.ReportProcess.RUN_TIMER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bpmn/analytics-report.bpmn} on the embedded engine with its real workers, moving the
 * engine's (and the application's) clock instead of sleeping: a weekly Monday 09:00 report in
 * Berlin across the clock change, pause and resume, cancel, an edit that re-times the waiting
 * instance, a one-time report that completes, delete, and runs missed by more than the grace
 * period. Outcomes are checked in the API and the engine's records.
 */
class ReportProcessTests extends ReportTestSupport {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private TestTenant tenant;

  @BeforeEach
  void aTenant() {
    tenant = tenant();
  }

  @Test
  void weeklyMondayNineInBerlinKeepsItsLocalTimeAcrossTheClockChange() {
    // The next Berlin clock change at least two weeks away (a Sunday); start on the Monday 13 days
    // before.
    Instant change =
        BERLIN.getRules().nextTransition(clock.instant().plus(Duration.ofDays(14))).getInstant();
    LocalDate changeDay = change.atZone(BERLIN).toLocalDate();
    LocalDate firstMonday =
        changeDay.with(TemporalAdjusters.previous(DayOfWeek.MONDAY)).minusWeeks(1);
    String id = createWaiting(tenant, weekly("Pipeline for the team", firstMonday.atTime(9, 0)));

    Instant first = runNext(tenant, id);
    awaitTimer(tenant, id);
    Instant second = runNext(tenant, id);
    awaitTimer(tenant, id);
    Instant third = runNext(tenant, id);

    assertThat(List.of(first, second, third))
        .allSatisfy(at -> {
          assertThat(at.atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
          assertThat(at.atZone(BERLIN).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
        });
    assertThat(second).isBefore(change);
    assertThat(third).isAfter(change);
    assertThat(Duration.between(second, third))
        .as("a week across the clock change is an hour shorter or longer")
        .isIn(Duration.ofDays(7).minusHours(1), Duration.ofDays(7).plusHours(1));
    List<JsonNode> runs = history(tenant, id);
    assertThat(runs)
        .extracting(r -> r.get("occurrence").asText())
        .containsExactly(third.toString(), second.toString(), first.toString());
    assertThat(runs)
        .allSatisfy(r -> {
          assertThat(r.get("status").asText()).isEqualTo("generated");
          assertThat(r.get("trigger").asText()).isEqualTo("schedule");
          assertThat(r.get("period_end").asText()).isEqualTo(r.get("occurrence").asText());
        });
    // Each run covers the time since the previous one; the first one a week.
    assertThat(runs.get(0).get("period_start").asText()).isEqualTo(second.toString());
    assertThat(runs.get(1).get("period_start").asText()).isEqualTo(first.toString());
    assertThat(Instant.parse(runs.get(2).get("period_start").asText()))
        .isEqualTo(first.minus(Duration.ofDays(7)));
    JsonNode latest = run(tenant, id, runs.get(0).get("id").asText());
    assertThat(latest.get("text").asText())
        .startsWith("🎯 *Lead Pipeline Report*\n_Pipeline for the team_\n");
    assertThat(latest.at("/data/period_start").asText()).isEqualTo(second.toString());
    JsonNode report = schedule(tenant, id);
    assertThat(report.get("run_count").asInt()).isEqualTo(3);
    assertThat(report.get("last_run_at").asText()).isEqualTo(third.toString());
    assertThat(Instant.parse(report.get("next_run_at").asText()))
        .isEqualTo(third.atZone(BERLIN).plusWeeks(1).toInstant());
    long instance = processInstance(tenant, id);
    List<String> completed = records().completedElements(instance);
    assertThat(Collections.frequency(completed, GENERATE_TASK)).isEqualTo(3);
    assertThat(Collections.frequency(completed, RUN_TIMER)).isEqualTo(3);
    assertThat(records().isCompleted(instance)).isFalse();
    assertThat(records().incidents(instance)).isEmpty();
  }

  @Test
  void pausedReportGeneratesNothingUntilResumed() {
    String id =
        createWaiting(
            tenant,
            daily(
                "Daily activity",
                LocalDateTime.now(clock).plusHours(2).truncatedTo(ChronoUnit.MINUTES),
                ZoneId.of("UTC")));
    long instance = processInstance(tenant, id);

    Api.Response paused = tenant.api().post(REPORTS + "/" + id + "/pause");

    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.text("status")).isEqualTo("paused");
    assertThat(paused.json().get("next_run_at").isNull()).isTrue();
    awaitCompleted(instance, CHANGED_EVENT);
    clock.travel(Duration.ofDays(2));
    assertThat(history(tenant, id)).isEmpty();

    Api.Response resumed = tenant.api().post(REPORTS + "/" + id + "/resume");

    assertThat(resumed.text("status")).isEqualTo("active");
    Instant next = Instant.parse(resumed.text("next_run_at"));
    assertThat(next).isAfter(clock.instant()).isBefore(clock.instant().plus(Duration.ofDays(1)));
    awaitCompleted(instance, CHANGED_WHILE_PAUSED_EVENT);
    awaitTimer(tenant, id);
    assertThat(runNext(tenant, id)).isEqualTo(next);
    assertThat(history(tenant, id))
        .singleElement()
        .satisfies(r -> assertThat(r.get("status").asText()).isEqualTo("generated"));
  }

  @Test
  void cancelledReportEndsItsInstanceAndKeepsItsHistory() {
    String id =
        createWaiting(
            tenant, weekly("Weekly pipeline", LocalDate.now(clock).plusDays(1).atTime(9, 0)));
    long instance = processInstance(tenant, id);
    runNext(tenant, id);

    Api.Response cancelled = tenant.api().post(REPORTS + "/" + id + "/cancel");

    assertThat(cancelled.text("status")).isEqualTo("cancelled");
    await().atMost(Duration.ofSeconds(10)).until(() -> records().isCompleted(instance));
    assertThat(records().completedElements(instance)).contains(CHANGED_EVENT, FINISHED_END);
    clock.travel(Duration.ofDays(15));
    assertThat(history(tenant, id)).hasSize(1);
    assertThat(tenant.api().post(REPORTS + "/" + id + "/resume").status()).isEqualTo(409);
  }

  @Test
  void editReTimesTheWaitingInstanceWithoutARestart() {
    LocalDate day = LocalDate.now(clock.withZone(BERLIN)).plusDays(2);
    String id = createWaiting(tenant, daily("Morning numbers", day.atTime(9, 0), BERLIN));

    Api.Response edited =
        tenant
            .api()
            .patch(
                REPORTS + "/" + id,
                Map.of(
                    "scheduled_time",
                    day.atTime(7, 30).toString(),
                    "template_id",
                    "daily_activity"));

    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    Instant earlier = day.atTime(7, 30).atZone(BERLIN).toInstant();
    assertThat(Instant.parse(edited.text("next_run_at"))).isEqualTo(earlier);
    assertThat(edited.text("template_id")).isEqualTo("daily_activity");
    awaitTimer(tenant, id);
    assertThat(runNext(tenant, id)).isEqualTo(earlier);
    // The old time passes without a second run that day.
    clock.travelPast(day.atTime(9, 0).atZone(BERLIN).toInstant());
    List<JsonNode> runs = history(tenant, id);
    assertThat(runs)
        .singleElement()
        .satisfies(r -> assertThat(r.get("template_id").asText()).isEqualTo("daily_activity"));
    assertThat(nextRunAt(tenant, id))
        .isEqualTo(day.plusDays(1).atTime(7, 30).atZone(BERLIN).toInstant());
  }

  @Test
  void oneTimeReportCompletesAfterItsRun() {
    Instant at = clock.instant().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
    String id =
        createWaiting(
            tenant,
            Map.of(
                "name",
                "Launch day numbers",
                "template_id",
                "daily_activity",
                "schedule_type",
                "one_time",
                "scheduled_time",
                at.toString()));
    long instance = processInstance(tenant, id);

    assertThat(runNext(tenant, id)).isEqualTo(at);

    await().atMost(Duration.ofSeconds(10)).until(() -> records().isCompleted(instance));
    JsonNode report = schedule(tenant, id);
    assertThat(report.get("status").asText()).isEqualTo("completed");
    assertThat(report.get("next_run_at").isNull()).isTrue();
    assertThat(records().completedElements(instance))
        .containsSubsequence(GENERATE_TASK, PLAN_TASK, FINISHED_END);
    JsonNode run = history(tenant, id).getFirst();
    assertThat(Duration.between(Instant.parse(run.get("period_start").asText()), at))
        .isEqualTo(Duration.ofDays(7));
  }

  @Test
  void deletedReportEndsItsInstance() {
    String id =
        createWaiting(
            tenant,
            daily(
                "Soon gone",
                LocalDateTime.now(clock).plusHours(1).truncatedTo(ChronoUnit.MINUTES),
                ZoneId.of("UTC")));
    long instance = processInstance(tenant, id);

    assertThat(tenant.api().delete(REPORTS + "/" + id).status()).isEqualTo(204);

    await().atMost(Duration.ofSeconds(10)).until(() -> records().isCompleted(instance));
    assertThat(records().completedElements(instance))
        .contains(CHANGED_EVENT, FINISHED_END)
        .doesNotContain(GENERATE_TASK);
    assertThat(tenant.api().get(REPORTS + "/" + id).status()).isEqualTo(404);
  }

  @Test
  void runsMissedByMoreThanTheGraceAreRecordedAndOnlyTheLatestIsGenerated() {
    String id =
        createWaiting(
            tenant,
            daily(
                "Check the numbers",
                LocalDateTime.now(clock).plusHours(1).truncatedTo(ChronoUnit.MINUTES),
                ZoneId.of("UTC")));
    Instant first = nextRunAt(tenant, id);

    // Three days at once: the first three runs are long past when their jobs run.
    clock.travel(Duration.between(clock.instant(), first.plus(Duration.ofDays(3)).plusSeconds(1)));

    List<JsonNode> runs = awaitHistory(tenant, id, 4);
    assertThat(runs)
        .extracting(r -> r.get("status").asText() + " " + r.get("occurrence").asText())
        .containsExactly(
            "generated " + first.plus(Duration.ofDays(3)),
            "missed " + first.plus(Duration.ofDays(2)),
            "missed " + first.plus(Duration.ofDays(1)),
            "missed " + first);
    assertThat(runs.get(3).get("error").asText()).contains("not generated").contains("1h");
    assertThat(run(tenant, id, runs.get(3).get("id").asText()).get("text").isNull()).isTrue();
    assertThat(nextRunAt(tenant, id)).isEqualTo(first.plus(Duration.ofDays(4)));
    assertThat(schedule(tenant, id).get("run_count").asInt()).isEqualTo(1);
  }

  private Map<String, Object> weekly(String name, LocalDateTime monday) {
    return Map.of(
        "name",
        name,
        "template_id",
        "lead_pipeline",
        "schedule_type",
        "weekly",
        "scheduled_time",
        monday.toString(),
        "timezone",
        BERLIN.getId());
  }

  private Map<String, Object> daily(String name, LocalDateTime at, ZoneId zone) {
    return Map.of(
        "name",
        name,
        "template_id",
        "session_health",
        "schedule_type",
        "daily",
        "scheduled_time",
        at.toString(),
        "timezone",
        zone.getId());
  }
}
