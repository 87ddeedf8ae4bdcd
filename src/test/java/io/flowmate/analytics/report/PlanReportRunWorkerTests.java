package io.flowmate.analytics.report;

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
 * {@link PlanReportRunWorker} without engine or database: the plan becomes {@code reportState} and,
 * only when there is a next run, {@code nextRunAt} as an ISO-8601 instant for the timer.
 */
class PlanReportRunWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID REPORT = UUID.randomUUID();

  private final ScheduledReportRuns runs = mock(ScheduledReportRuns.class);
  private final PlanReportRunWorker worker = new PlanReportRunWorker(runs);

  private Map<String, Object> plan() {
    return worker.planReportRun(TENANT.value().toString(), REPORT.toString());
  }

  @Test
  void aWaitingReportGivesTheTimerItsInstant() {
    when(runs.plan(TENANT, REPORT))
        .thenReturn(
            new OccurrencePlanner.Plan(
                OccurrencePlanner.WAITING, Instant.parse("2026-03-30T07:00:00Z")));

    assertThat(plan())
        .isEqualTo(
            Map.of(
                ReportProcess.REPORT_STATE, "waiting",
                ReportProcess.NEXT_RUN_AT, "2026-03-30T07:00:00Z"));
  }

  @Test
  void aPausedOrFinishedReportSetsOnlyItsState() {
    when(runs.plan(TENANT, REPORT))
        .thenReturn(new OccurrencePlanner.Plan(OccurrencePlanner.PAUSED, null))
        .thenReturn(new OccurrencePlanner.Plan(OccurrencePlanner.FINISHED, null));

    assertThat(plan()).isEqualTo(Map.of(ReportProcess.REPORT_STATE, "paused"));
    assertThat(plan()).isEqualTo(Map.of(ReportProcess.REPORT_STATE, "finished"));
  }

  @Test
  void variablesThatAreNoIdsAreRefused() {
    assertRefused(() -> worker.planReportRun("acme", REPORT.toString()))
        .contains(ReportProcess.TENANT_ID);

    verifyNoInteractions(runs);
  }
}
