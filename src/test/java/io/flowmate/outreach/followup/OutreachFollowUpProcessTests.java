package io.flowmate.outreach.followup;

import static io.flowmate.outreach.followup.FollowUpProcess.COMPLETED_END;
import static io.flowmate.outreach.followup.FollowUpProcess.COMPLETE_TASK;
import static io.flowmate.outreach.followup.FollowUpProcess.ENDED_END;
import static io.flowmate.outreach.followup.FollowUpProcess.REPLIED_END;
import static io.flowmate.outreach.followup.FollowUpProcess.REPLY_EVENT;
import static io.flowmate.outreach.followup.FollowUpProcess.SEND_TASK;
import static io.flowmate.outreach.followup.FollowUpProcess.STOP_TASK;
import static io.flowmate.outreach.followup.FollowUpProcess.WAIT_TIMER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.TimerIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.flowmate.support.EngineRecords;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestGroups;
import io.flowmate.workflow.EmbeddedEngine;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code bpmn/outreach-follow-up.bpmn} on the embedded engine with its real workers, every path: a
 * reply stops it, the wait sends the follow-up, K rounds then complete, a reply between rounds
 * stops further rounds, deleting the rule cancels it, a contact who left the audience gets nothing.
 * Waits pass by moving the engine clock, never by sleeping; outcomes are checked in the engine's
 * records, the API and what the simulated WhatsApp received.
 */
// Its own application context: moving the engine clock must not fire other classes' timers.
@TestPropertySource(properties = "flowmate.outreach.follow-ups.batch-size=400")
class OutreachFollowUpProcessTests extends IntegrationTest {

  private static final String ANNA = "4915100002001";
  private static final String TEXT = "Hi {first_name}, did you see our offer for {city}?";
  private static final String ANNAS_TEXT = "Hi Anna, did you see our offer for Berlin?";

  @Autowired EmbeddedEngine engine;
  @Autowired JdbcClient jdbc;

  private EngineRecords records;
  private TestTenant tenant;
  private FollowUpApi followUps;
  private TestGroups audience;
  private String session;
  private UUID group;

  @BeforeEach
  void tenantWithAnAudience() {
    records = new EngineRecords(engine);
    tenant = newTenant().allowingColdMessages();
    session = tenant.workingSession();
    followUps = new FollowUpApi(tenant.api());
    audience = new TestGroups(jdbc);
    group = audience.create(tenant.id(), List.of());
    audience.member(group, ANNA, "Anna Schmidt", Map.of("city", "Berlin"));
  }

  @Test
  void replyStopsTheFollowUp() {
    String rule = followUps.create(FollowUpApi.rule(session, group, "P3D", 1, TEXT));
    long instance = started(rule);

    tenant.contactWrites(session, ANNA, "Yes, thanks!");

    JsonNode stopped = followUps.awaitOnly(rule, "replied");
    assertThat(stopped.get("next_due_at").isNull()).isTrue();
    awaitCompleted(instance);
    assertThat(records.completedElements(instance))
        .contains(REPLY_EVENT, STOP_TASK, REPLIED_END)
        .doesNotContain(WAIT_TIMER, SEND_TASK);
    engine.increaseTime(Duration.ofDays(3).plusMinutes(1));
    assertThat(tenant.deliveredTexts(session)).containsExactly("Our offer");
    assertThat(records.incidents(instance)).isEmpty();
  }

  @Test
  void waitWithoutReplySendsThePersonalisedFollowUp() {
    String rule = followUps.create(FollowUpApi.rule(session, group, "P3D", 1, TEXT));
    long instance = started(rule);

    engine.increaseTime(Duration.ofDays(3).plusMinutes(1));

    awaitDelivered(ANNAS_TEXT, 1);
    JsonNode completed = followUps.awaitOnly(rule, "completed", 1);
    assertThat(completed.get("ended_at").isTextual()).isTrue();
    awaitCompleted(instance);
    assertThat(records.completedElements(instance))
        .contains(WAIT_TIMER, SEND_TASK, COMPLETE_TASK, COMPLETED_END)
        .doesNotContain(REPLY_EVENT, STOP_TASK);
    assertThat(tenant.deliveredTexts(session)).containsExactly("Our offer", ANNAS_TEXT);
    assertThat(records.incidents(instance)).isEmpty();
  }

  @Test
  void maxRoundsAreSentOneWaitApartThenTheFollowUpCompletes() {
    String rule = followUps.create(FollowUpApi.rule(session, group, "PT1H", 3, TEXT));
    long instance = started(rule);

    for (int round = 1; round <= 3; round++) {
      engine.increaseTime(Duration.ofMinutes(59));
      assertThat(deliveredFollowUps()).as("before round %d", round).isEqualTo(round - 1);
      engine.increaseTime(Duration.ofMinutes(2));
      awaitDelivered(ANNAS_TEXT, round);
      if (round < 3) {
        JsonNode waiting = followUps.awaitOnly(rule, "waiting", round);
        assertThat(waiting.get("next_due_at").isTextual()).isTrue();
        awaitTimers(instance, round + 1);
      }
    }

    followUps.awaitOnly(rule, "completed", 3);
    awaitCompleted(instance);
    assertThat(records.completedElements(instance).stream().filter(SEND_TASK::equals)).hasSize(3);
    assertThat(records.completedElements(instance)).contains(COMPLETE_TASK, COMPLETED_END);
    engine.increaseTime(Duration.ofHours(2));
    assertThat(deliveredFollowUps()).isEqualTo(3);
    assertThat(records.incidents(instance)).isEmpty();
  }

  @Test
  void replyBetweenRoundsStopsFurtherRounds() {
    String rule = followUps.create(FollowUpApi.rule(session, group, "PT1H", 3, TEXT));
    long instance = started(rule);
    engine.increaseTime(Duration.ofMinutes(61));
    awaitDelivered(ANNAS_TEXT, 1);
    followUps.awaitOnly(rule, "waiting", 1);
    awaitTimers(instance, 2);

    tenant.contactWrites(session, ANNA, "Sorry, busy week. Yes please!");

    followUps.awaitOnly(rule, "replied", 1);
    awaitCompleted(instance);
    engine.increaseTime(Duration.ofHours(3));
    assertThat(deliveredFollowUps()).isEqualTo(1);
    assertThat(records.completedElements(instance).stream().filter(SEND_TASK::equals)).hasSize(1);
    assertThat(records.completedElements(instance)).contains(REPLY_EVENT, STOP_TASK, REPLIED_END);
  }

  @Test
  void deletingTheRuleCancelsItsWaitingFollowUpsAndTheirInstances() {
    String rule = followUps.create(FollowUpApi.rule(session, group, "P3D", 2, TEXT));
    long instance = started(rule);

    assertThat(tenant.api().delete("/api/v2/follow-ups/" + rule).status()).isEqualTo(204);

    JsonNode cancelled = followUps.awaitOnly(rule, "cancelled");
    assertThat(cancelled.get("status_reason").asText()).isEqualTo("the follow-up rule was deleted");
    await().atMost(Duration.ofSeconds(10)).until(() -> isTerminated(instance));
    engine.increaseTime(Duration.ofDays(7));
    assertThat(deliveredFollowUps()).isZero();
    assertThat(records.completedElements(instance)).doesNotContain(SEND_TASK);
  }

  @Test
  void contactWhoLeftTheAudienceGetsNoFollowUp() {
    String rule = followUps.create(FollowUpApi.rule(session, group, "P3D", 1, TEXT));
    long instance = started(rule);
    audience.removeMember(group, ANNA);

    engine.increaseTime(Duration.ofDays(3).plusMinutes(1));

    JsonNode ended = followUps.awaitOnly(rule, "cancelled");
    assertThat(ended.get("status_reason").asText()).isEqualTo("no longer in the rule's audience");
    awaitCompleted(instance);
    assertThat(records.completedElements(instance))
        .contains(SEND_TASK, ENDED_END)
        .doesNotContain(COMPLETE_TASK);
    assertThat(deliveredFollowUps()).isZero();
  }

  /** Sends the message that starts a follow-up; returns the key of its process instance. */
  private long started(String rule) {
    followUps.send(session, ANNA, "Our offer");
    JsonNode waiting =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> followUps.followUps(rule),
                items ->
                    items.size() == 1 && items.getFirst().get("process_instance_key").isNumber())
            .getFirst();
    assertThat(waiting.get("status").asText()).isEqualTo("waiting");
    assertThat(waiting.get("round").asInt()).isZero();
    assertThat(waiting.get("chat_id").asText()).isEqualTo(ANNA + "@c.us");
    long instance = waiting.get("process_instance_key").asLong();
    awaitTimers(instance, 1);
    return instance;
  }

  private int deliveredFollowUps() {
    return Collections.frequency(tenant.deliveredTexts(session), ANNAS_TEXT);
  }

  private void awaitDelivered(String text, int times) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> Collections.frequency(tenant.deliveredTexts(session), text) == times);
  }

  private void awaitCompleted(long instance) {
    await().atMost(Duration.ofSeconds(10)).until(() -> records.isCompleted(instance));
  }

  /** Waits until the instance has created this many timers (the next round's wait has begun). */
  private void awaitTimers(long instance, int count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> {
          engine.waitForIdleState(Duration.ofSeconds(5));
          return StreamSupport.stream(
                      RecordStream.of(engine.recordStream()).timerRecords().spliterator(), false)
                  .filter(r -> r.getIntent() == TimerIntent.CREATED)
                  .filter(r -> r.getValue().getProcessInstanceKey() == instance)
                  .count()
              == count;
        });
  }

  private boolean isTerminated(long instance) {
    engine.waitForIdleState(Duration.ofSeconds(5));
    List<Boolean> terminated =
        StreamSupport.stream(
                RecordStream.of(engine.recordStream()).processInstanceRecords().spliterator(),
                false)
            .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED)
            .filter(r -> r.getValue().getProcessInstanceKey() == instance)
            .map(r -> r.getValue().getBpmnElementType() == BpmnElementType.PROCESS)
            .toList();
    return terminated.contains(true);
  }
}
