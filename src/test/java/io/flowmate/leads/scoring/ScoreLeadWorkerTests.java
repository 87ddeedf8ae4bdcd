package io.flowmate.leads.scoring;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.flowmate.core.TenantId;
import io.flowmate.leads.pipeline.LeadStatus;
import io.flowmate.leads.pipeline.LeadStatusTransitions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link ScoreLeadWorker} without engine or database: it hands the status decision all four of its
 * inputs, with the lead's status and score, or nulls for a lead that is gone.
 */
class ScoreLeadWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID LEAD = UUID.randomUUID();

  private final LeadScoring scoring = mock(LeadScoring.class);
  private final ScoreLeadWorker worker = new ScoreLeadWorker(scoring);

  private Map<String, Object> score() {
    return worker.scoreLead(TENANT.value().toString(), LEAD.toString());
  }

  @Test
  void aScoredLeadGivesTheDecisionItsStatusAndScore() {
    when(scoring.score(TENANT, LEAD))
        .thenReturn(Optional.of(new LeadScoring.Scored(LeadStatus.CONTACTED, 8)));

    Map<String, Object> expected = new HashMap<>();
    expected.put(LeadStatusTransitions.CURRENT_STATUS, "contacted");
    expected.put(LeadStatusTransitions.EVENT, "scored");
    expected.put(LeadStatusTransitions.REQUESTED_STATUS, null);
    expected.put(LeadStatusTransitions.SCORE, 8);
    assertThat(score()).isEqualTo(expected);
  }

  @Test
  void aLeadThatIsGoneStillSetsEveryInput() {
    // Each input is set, null included, so a stale value of an earlier round cannot linger.
    when(scoring.score(TENANT, LEAD)).thenReturn(Optional.empty());

    Map<String, Object> out = score();

    assertThat(out)
        .containsOnlyKeys(
            LeadStatusTransitions.CURRENT_STATUS,
            LeadStatusTransitions.EVENT,
            LeadStatusTransitions.REQUESTED_STATUS,
            LeadStatusTransitions.SCORE);
    assertThat(out.get(LeadStatusTransitions.CURRENT_STATUS)).isNull();
    assertThat(out.get(LeadStatusTransitions.SCORE)).isNull();
    assertThat(out.get(LeadStatusTransitions.EVENT)).isEqualTo("scored");
  }

  @Test
  void variablesThatAreNoIdsAreRefused() {
    assertRefused(() -> worker.scoreLead(TENANT.value().toString(), "lead-7"))
        .contains(LeadScoringProcess.LEAD_ID);

    verifyNoInteractions(scoring);
  }
}
