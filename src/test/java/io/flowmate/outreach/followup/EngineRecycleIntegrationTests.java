package io.flowmate.outreach.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.ScheduleTestSupport;
import io.flowmate.support.TestGroups;
import io.flowmate.workflow.EngineRecycler;
import io.flowmate.workflow.Processes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The embedded engine recycled twice while follow-ups and a 5-minute schedule run, moving the
 * engine's (and the application's) clock instead of sleeping: once right after a follow-up round,
 * once in the middle of a wait. Every follow-up round and every occurrence happens exactly once, at
 * its time: the re-created instances wait for the due times PostgreSQL holds, not a full wait.
 */
// Its own application context: the engine it recycles is no other test class's.
@TestPropertySource(
    properties = {"flowmate.engine.recycle.max-pause=20s", "camunda.client.request-timeout=60s"})
class EngineRecycleIntegrationTests extends ScheduleTestSupport {

  private static final List<String> CONTACTS =
      List.of("4915100007001", "4915100007002", "4915100007003");
  private static final String ROUND_TEXT = "Hi {first_name}, still interested?";
  private static final String REMINDER = "Stand-up in five minutes";
  private static final Duration STEP = Duration.ofMinutes(5);

  @Autowired EngineRecycler recycler;
  @Autowired Processes processes;

  private TestTenant tenant;
  private String session;
  private String schedule;
  private final List<Instant> occurrences = new ArrayList<>();

  EngineRecycleIntegrationTests() {
    super("/api/v2/scheduled-messages", "history");
  }

  @Test
  void followUpsAndASchedulePassTwoRecyclesWithEveryRoundAndOccurrenceExactlyOnce() {
    tenant = cancelledAfterTheTest(newTenant().allowingColdMessages());
    session = tenant.workingSession();
    TestGroups groups = new TestGroups(jdbc);
    UUID group = groups.create(tenant.id(), List.of());
    for (int i = 0; i < CONTACTS.size(); i++) {
      groups.member(group, CONTACTS.get(i), "Contact" + i + " Person", Map.of());
    }
    FollowUpApi followUps = new FollowUpApi(tenant.api());
    String rule = followUps.create(FollowUpApi.rule(session, group, "PT1H", 2, ROUND_TEXT));
    CONTACTS.forEach(contact -> followUps.send(session, contact, "Our offer"));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> waitingWithInstance(followUps.followUps(rule), 0));
    Instant firstRoundDue = latestDue(followUps.followUps(rule));
    schedule = createWaiting(tenant, everyFiveMinutes());
    String firstEpoch = processes.epoch();

    stepUntil(firstRoundDue);
    awaitRounds(1);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> waitingWithInstance(followUps.followUps(rule), 1));
    Instant secondRoundDue = latestDue(followUps.followUps(rule));

    EngineRecycler.Recycle afterRound = recycler.recycle("test: right after a round");

    assertThat(afterRound.epoch()).isNotEqualTo(firstEpoch);
    assertThat(recycler.lastRecycle()).contains(afterRound);
    assertEveryRowOfEpoch(afterRound.epoch(), rule);
    awaitTimer(tenant, schedule);
    stepUntil(secondRoundDue.minus(Duration.ofMinutes(30)));

    EngineRecycler.Recycle midWait = recycler.recycle("test: in the middle of a wait");

    assertEveryRowOfEpoch(midWait.epoch(), rule);
    awaitTimer(tenant, schedule);
    // The re-created instances wait what is left of the hour, not a whole hour again.
    stepUntil(secondRoundDue.minus(Duration.ofMinutes(1)));
    assertThat(deliveredRounds()).as("rounds before the second is due").hasSize(CONTACTS.size());
    stepUntil(secondRoundDue);
    awaitRounds(2);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            followUps.followUps(rule).stream()
                .allMatch(f -> "completed".equals(f.get("status").asText())));
    stepUntil(clock.instant().plus(Duration.ofMinutes(65)));

    assertThat(deliveredRounds()).hasSize(CONTACTS.size() * 2);
    for (JsonNode followUp : followUps.followUps(rule)) {
      assertThat(followUp.get("round").asInt()).isEqualTo(2);
    }
    List<JsonNode> history = history(tenant, schedule);
    assertThat(history)
        .extracting(h -> Instant.parse(h.get("occurrence").asText()))
        .containsExactlyInAnyOrderElementsOf(occurrences);
    assertThat(history).allSatisfy(h -> assertThat(h.get("status").asText()).isEqualTo("executed"));
    assertThat(Collections.frequency(tenant.deliveredTexts(session), REMINDER))
        .isEqualTo(occurrences.size());
    JsonNode info = anonymous().get("/actuator/info").json().get("engine");
    assertThat(info.get("epoch").asText()).isEqualTo(midWait.epoch());
    assertThat(info.get("last_recycle").get("reason").asText())
        .isEqualTo("test: in the middle of a wait");
  }

  /**
   * Moves the clock in 5-minute steps (and a last shorter one) to just past {@code until}; each
   * schedule occurrence passed is awaited in the history before the next step.
   */
  private void stepUntil(Instant until) {
    while (clock.instant().isBefore(until.plusSeconds(1))) {
      Instant next = nextRunAt(tenant, schedule);
      Duration step = Duration.between(clock.instant(), until.plusSeconds(1));
      clock.travel(step.compareTo(STEP) < 0 ? step : STEP);
      if (!next.isAfter(clock.instant())) {
        occurrences.add(next);
        awaitHistory(tenant, schedule, occurrences.size());
        awaitTimer(tenant, schedule);
      }
    }
  }

  private Map<String, Object> everyFiveMinutes() {
    return Map.of(
        "name",
        "stand-up reminder",
        "session_id",
        session,
        "chat_id",
        "4915100007999",
        "schedule_type",
        "cron",
        "cron_expression",
        "*/5 * * * *",
        "timezone",
        "UTC",
        "message_content",
        REMINDER);
  }

  private List<String> deliveredRounds() {
    return tenant.deliveredTexts(session).stream()
        .filter(text -> text.endsWith("still interested?"))
        .toList();
  }

  private void awaitRounds(int rounds) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> deliveredRounds().size() >= CONTACTS.size() * rounds);
    assertThat(deliveredRounds()).hasSize(CONTACTS.size() * rounds);
    for (int i = 0; i < CONTACTS.size(); i++) {
      assertThat(Collections.frequency(deliveredRounds(), "Hi Contact" + i + ", still interested?"))
          .isEqualTo(rounds);
    }
  }

  private static boolean waitingWithInstance(List<JsonNode> followUps, int round) {
    return followUps.size() == CONTACTS.size()
        && followUps.stream()
            .allMatch(f ->
                "waiting".equals(f.get("status").asText())
                    && f.get("round").asInt() == round
                    && f.get("process_instance_key").isNumber());
  }

  private static Instant latestDue(List<JsonNode> followUps) {
    return followUps.stream()
        .map(f -> Instant.parse(f.get("next_due_at").asText()))
        .max(Instant::compareTo)
        .orElseThrow()
        .truncatedTo(ChronoUnit.SECONDS)
        .plusSeconds(1);
  }

  /** Every waiting follow-up and the schedule have an instance of the new engine. */
  private void assertEveryRowOfEpoch(String epoch, String rule) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> {
          assertThat(
                  jdbc.sql(
                          "SELECT engine_epoch FROM outreach_follow_up WHERE rule_id = :rule"
                              + " AND status = 'waiting' AND process_instance_key IS NOT NULL")
                      .param("rule", UUID.fromString(rule))
                      .query(String.class)
                      .list())
              .hasSize(CONTACTS.size())
              .containsOnly(epoch);
          assertThat(
                  jdbc.sql("SELECT engine_epoch FROM outreach_scheduled_message WHERE id = :id")
                      .param("id", UUID.fromString(schedule))
                      .query(String.class)
                      .single())
              .isEqualTo(epoch);
        });
  }
}
