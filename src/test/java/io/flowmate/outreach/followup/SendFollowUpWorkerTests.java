package io.flowmate.outreach.followup;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.camunda.client.api.response.ActivatedJob;
import io.flowmate.core.TenantId;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link SendFollowUpWorker} without engine or database: the round is sent for the instance that
 * asks (its key guards against a second instance of the same follow-up), and the outcome, the
 * rounds sent and the full wait go back to the process for its next timer.
 */
class SendFollowUpWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID FOLLOW_UP = UUID.randomUUID();
  private static final long INSTANCE = 2251799813685301L;

  private final FollowUps followUps = mock(FollowUps.class);
  private final ActivatedJob job = mock(ActivatedJob.class);
  private final SendFollowUpWorker worker = new SendFollowUpWorker(followUps);

  @Test
  void theRoundsOutcomeAndTheNextWaitGoBackToTheProcess() {
    when(job.getProcessInstanceKey()).thenReturn(INSTANCE);
    when(followUps.sendRound(TENANT, FOLLOW_UP, 1, INSTANCE))
        .thenReturn(new FollowUps.RoundResult(FollowUpProcess.SENT, 2, Duration.ofDays(3)));

    SendFollowUpWorker.Sent sent =
        worker.sendFollowUp(job, TENANT.value().toString(), FOLLOW_UP.toString(), 1);

    assertThat(sent).isEqualTo(new SendFollowUpWorker.Sent("sent", 2, "PT72H"));
  }

  @Test
  void aReplyOrAnEndIsPassedOnAsTheOutcome() {
    when(job.getProcessInstanceKey()).thenReturn(INSTANCE);
    when(followUps.sendRound(TENANT, FOLLOW_UP, 2, INSTANCE))
        .thenReturn(new FollowUps.RoundResult(FollowUpProcess.REPLIED, 2, Duration.ofHours(36)))
        .thenReturn(new FollowUps.RoundResult(FollowUpProcess.ENDED, 2, Duration.ofHours(36)));

    assertThat(worker.sendFollowUp(job, TENANT.value().toString(), FOLLOW_UP.toString(), 2))
        .isEqualTo(new SendFollowUpWorker.Sent("replied", 2, "PT36H"));
    assertThat(worker.sendFollowUp(job, TENANT.value().toString(), FOLLOW_UP.toString(), 2))
        .isEqualTo(new SendFollowUpWorker.Sent("ended", 2, "PT36H"));
  }

  @Test
  void variablesThatAreNoIdsAreRefused() {
    assertRefused(() -> worker.sendFollowUp(job, TENANT.value().toString(), "fu-1", 0))
        .contains(FollowUpProcess.FOLLOW_UP_ID);

    verifyNoInteractions(followUps);
  }
}
