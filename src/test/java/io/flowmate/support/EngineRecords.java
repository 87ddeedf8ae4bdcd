package io.flowmate.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.TimerIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.flowmate.workflow.EmbeddedEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/** What the embedded engine did, read from its record stream, for process tests. */
public final class EngineRecords {

  private final EmbeddedEngine engine;

  public EngineRecords(EmbeddedEngine engine) {
    this.engine = engine;
  }

  private RecordStream stream() {
    engine.waitForIdleState(Duration.ofSeconds(5));
    return RecordStream.of(engine.recordStream());
  }

  /** Ids of the elements the instance completed, in order. */
  public List<String> completedElements(long processInstanceKey) {
    return StreamSupport.stream(stream().processInstanceRecords().spliterator(), false)
        .filter(r -> r.getRecordType() == RecordType.EVENT)
        .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED)
        .filter(r -> r.getValue().getProcessInstanceKey() == processInstanceKey)
        .map(r -> r.getValue().getElementId())
        .toList();
  }

  /** Whether the instance created a timer due at exactly {@code due}. */
  public boolean hasTimer(long processInstanceKey, Instant due) {
    return StreamSupport.stream(stream().timerRecords().spliterator(), false)
        .filter(r -> r.getIntent() == TimerIntent.CREATED)
        .anyMatch(r ->
            r.getValue().getProcessInstanceKey() == processInstanceKey
                && r.getValue().getDueDate() == due.toEpochMilli());
  }

  /**
   * Waits until the process instance of a scheduled resource (its API JSON, read again and again by
   * {@code read}: a scheduled message or a report) waits on a timer for its {@code next_run_at}.
   */
  public void awaitTimerForNextRun(Supplier<JsonNode> read) {
    // A job worker plans the occurrence before the timer exists; with the whole suite's cached
    // contexts polling their engines on two cores, activating that job can take several seconds.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> {
          JsonNode resource = read.get();
          assertThat(resource.get("process_instance_key").isNull())
              .as(resource.toString())
              .isFalse();
          long instance = resource.get("process_instance_key").asLong();
          assertThat(hasTimer(instance, Instant.parse(resource.get("next_run_at").asText())))
              .as("a timer of instance %d due at %s", instance, resource.get("next_run_at"))
              .isTrue();
        });
  }

  public boolean isCompleted(long processInstanceKey) {
    return StreamSupport.stream(stream().processInstanceRecords().spliterator(), false)
        .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED)
        .map(Record::getValue)
        .anyMatch(v ->
            v.getProcessInstanceKey() == processInstanceKey
                && v.getBpmnElementType() == BpmnElementType.PROCESS);
  }

  /** The key of the instance's user task once the engine created it. */
  @SuppressWarnings("unchecked")
  public Optional<Long> userTaskKey(long processInstanceKey) {
    return StreamSupport.stream(stream().records().spliterator(), false)
        .filter(r -> r.getValueType() == ValueType.USER_TASK)
        .filter(r -> r.getIntent() == UserTaskIntent.CREATED)
        .map(r -> (Record<UserTaskRecordValue>) r)
        .filter(r -> r.getValue().getProcessInstanceKey() == processInstanceKey)
        .map(r -> r.getValue().getUserTaskKey())
        .reduce((first, last) -> last);
  }

  /** Incidents raised in the instance (a failing worker, a bad expression), as readable text. */
  @SuppressWarnings("unchecked")
  public List<String> incidents(long processInstanceKey) {
    return StreamSupport.stream(stream().records().spliterator(), false)
        .filter(r -> r.getValueType() == ValueType.INCIDENT)
        .filter(r -> r.getIntent() == IncidentIntent.CREATED)
        .map(r -> (Record<IncidentRecordValue>) r)
        .filter(r -> r.getValue().getProcessInstanceKey() == processInstanceKey)
        .map(r -> r.getValue().getElementId() + ": " + r.getValue().getErrorMessage())
        .toList();
  }
}
