package io.flowmate.leads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.ClientException;
import io.camunda.client.api.response.EvaluateDecisionResponse;
import io.flowmate.core.api.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * How {@link LeadStatusTransitions} reads the engine's answers, including the ones the shipped
 * table never gives: no rule matched (an edited table without a catch-all) and an unreachable
 * engine.
 */
class LeadStatusTransitionsTests {

  private final CamundaClient client = mock(CamundaClient.class, RETURNS_DEEP_STUBS);
  private final LeadStatusTransitions transitions =
      new LeadStatusTransitions(client, new ObjectMapper());

  private void engineAnswers(String output) {
    EvaluateDecisionResponse response = mock(EvaluateDecisionResponse.class);
    when(response.getDecisionOutput()).thenReturn(output);
    when(client
            .newEvaluateDecisionCommand()
            .decisionId(anyString())
            .variables(anyMap())
            .send()
            .join())
        .thenReturn(response);
  }

  @Test
  void readsAnAllowedMoveAndARefusal() {
    engineAnswers("{\"allowed\":true,\"status\":\"contacted\",\"reason\":null}");
    assertThat(transitions.request(LeadStatus.NEW, LeadStatus.CONTACTED, null))
        .isEqualTo(new LeadStatusTransitions.Verdict(true, LeadStatus.CONTACTED, null));

    engineAnswers("{\"allowed\":false,\"status\":\"converted\",\"reason\":\"converted is final\"}");
    assertThat(transitions.request(LeadStatus.CONVERTED, LeadStatus.LOST, 3))
        .isEqualTo(
            new LeadStatusTransitions.Verdict(false, LeadStatus.CONVERTED, "converted is final"));
  }

  @Test
  void anInputNoRuleMatchesIsRefusedWithAReason() {
    engineAnswers("null");

    LeadStatusTransitions.Verdict verdict =
        transitions.request(LeadStatus.QUALIFIED, LeadStatus.NEW, null);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.reason())
        .isEqualTo(
            "no rule of decision leads-status-transition allows moving to new for a qualified lead");
  }

  @Test
  void anUnreachableEngineIsA503() {
    when(client
            .newEvaluateDecisionCommand()
            .decisionId(anyString())
            .variables(anyMap())
            .send()
            .join())
        .thenThrow(new ClientException("UNAVAILABLE: io exception"));

    assertThatThrownBy(() -> transitions.request(LeadStatus.NEW, LeadStatus.LOST, null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE))
        .hasMessageContaining("retry");
  }
}
