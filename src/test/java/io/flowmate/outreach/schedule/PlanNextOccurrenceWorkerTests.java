package io.flowmate.outreach.schedule;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.OccurrencePlanner;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link PlanNextOccurrenceWorker} without engine or database: the plan becomes {@code
 * scheduleState} and, only when there is a next run, {@code nextRunAt} as an ISO-8601 instant for
 * the timer.
 */
class PlanNextOccurrenceWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID SCHEDULE = UUID.randomUUID();

  private final ScheduledOccurrences occurrences = mock(ScheduledOccurrences.class);
  private final PlanNextOccurrenceWorker worker = new PlanNextOccurrenceWorker(occurrences);

  private Map<String, Object> plan() {
    return worker.planNextOccurrence(TENANT.value().toString(), SCHEDULE.toString());
  }

  @Test
  void aWaitingScheduleGivesTheTimerItsInstant() {
    when(occurrences.plan(TENANT, SCHEDULE))
        .thenReturn(
            new OccurrencePlanner.Plan(
                OccurrencePlanner.WAITING, Instant.parse("2026-03-09T13:00:00Z")));

    assertThat(plan())
        .isEqualTo(
            Map.of(
                ScheduledMessageProcess.SCHEDULE_STATE, "waiting",
                ScheduledMessageProcess.NEXT_RUN_AT, "2026-03-09T13:00:00Z"));
  }

  @Test
  void aPausedOrFinishedScheduleSetsOnlyItsState() {
    when(occurrences.plan(TENANT, SCHEDULE))
        .thenReturn(new OccurrencePlanner.Plan(OccurrencePlanner.PAUSED, null))
        .thenReturn(new OccurrencePlanner.Plan(OccurrencePlanner.FINISHED, null));

    assertThat(plan()).isEqualTo(Map.of(ScheduledMessageProcess.SCHEDULE_STATE, "paused"));
    assertThat(plan()).isEqualTo(Map.of(ScheduledMessageProcess.SCHEDULE_STATE, "finished"));
  }

  @Test
  void variablesThatAreNoIdsAreRefused() {
    assertRefused(() -> worker.planNextOccurrence(TENANT.value().toString(), ""))
        .contains(ScheduledMessageProcess.SCHEDULE_ID);

    verifyNoInteractions(occurrences);
  }
}
