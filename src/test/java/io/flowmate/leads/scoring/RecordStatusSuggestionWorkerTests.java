package io.flowmate.leads.scoring;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.flowmate.core.TenantId;
import io.flowmate.leads.pipeline.LeadStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordStatusSuggestionWorker} without engine or database: the decision's answer becomes a
 * suggestion only when it allows a status; a refusal, a missing answer or a lead that is gone
 * clears the suggestion.
 */
class RecordStatusSuggestionWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID LEAD = UUID.randomUUID();

  private final LeadScoring scoring = mock(LeadScoring.class);
  private final RecordStatusSuggestionWorker worker = new RecordStatusSuggestionWorker(scoring);

  private void record(String currentStatus, Map<String, Object> suggestion) {
    worker.recordStatusSuggestion(
        TENANT.value().toString(), LEAD.toString(), currentStatus, suggestion);
  }

  private static Map<String, Object> answer(Object allowed, Object status) {
    Map<String, Object> answer = new HashMap<>();
    answer.put("allowed", allowed);
    answer.put("status", status);
    answer.put("reason", null);
    return answer;
  }

  @Test
  void anAllowedStatusIsSuggested() {
    record("contacted", answer(true, "qualified"));

    verify(scoring).suggest(TENANT, LEAD, LeadStatus.CONTACTED, LeadStatus.QUALIFIED);
  }

  @Test
  void aRefusedOrMissingAnswerSuggestsNothing() {
    record("contacted", answer(false, "qualified"));
    record("new", null);
    record("new", answer(true, null));
    record("new", answer("true", "qualified"));

    verify(scoring).suggest(TENANT, LEAD, LeadStatus.CONTACTED, null);
    verify(scoring, org.mockito.Mockito.times(3)).suggest(TENANT, LEAD, LeadStatus.NEW, null);
  }

  @Test
  void aLeadThatIsGoneGetsNoSuggestion() {
    record(null, answer(true, "qualified"));

    verify(scoring).suggest(TENANT, LEAD, null, null);
  }

  @Test
  void variablesThatAreNoIdsAreRefused() {
    assertRefused(() -> worker.recordStatusSuggestion("t", LEAD.toString(), "new", null))
        .contains(LeadScoringProcess.TENANT_ID);

    verifyNoInteractions(scoring);
  }
}
