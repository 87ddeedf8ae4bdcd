package io.flowmate.leads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.EvaluateDecisionResponse;
import io.flowmate.support.IntegrationTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code dmn/leads-status-transition.dmn} as deployed on the embedded engine, evaluated over gRPC
 * the way {@link LeadStatusTransitions} does: one row per rule of the table, in the table's order,
 * plus the rows that show the first-hit order matters.
 */
class LeadsStatusTransitionDecisionTests extends IntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired CamundaClient client;

  @ParameterizedTest(name = "{7}: {0} + {1} {2} (score {3}) -> allowed={4} {5}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # current | event            | requested | score | allowed | status    | reason contains                               | rule
          contacted | requested        | contacted | -     | false   | contacted | the lead is already contacted                 | same status
          converted | requested        | lost      | -     | false   | converted | converted is final                            | converted is terminal
          converted | requested        | converted | -     | false   | converted | the lead is already converted                 | same status wins over terminal
          new       | requested        | contacted | -     | true    | contacted | -                                             | new forward (contacted)
          new       | requested        | qualified | 3     | true    | qualified | -                                             | new forward (qualified)
          new       | requested        | converted | -     | true    | converted | -                                             | new forward (converted)
          new       | requested        | lost      | -     | true    | lost      | -                                             | new forward (lost)
          contacted | requested        | qualified | -     | true    | qualified | -                                             | contacted forward (qualified)
          contacted | requested        | converted | -     | true    | converted | -                                             | contacted forward (converted)
          contacted | requested        | lost      | -     | true    | lost      | -                                             | contacted forward (lost)
          qualified | requested        | converted | -     | true    | converted | -                                             | qualified forward (converted)
          qualified | requested        | lost      | -     | true    | lost      | -                                             | qualified forward (lost)
          lost      | requested        | new       | -     | true    | new       | -                                             | lost reopens to new
          lost      | requested        | contacted | -     | false   | lost      | a lost lead can only be reopened              | lost to anything else
          qualified | requested        | contacted | -     | false   | qualified | a lead cannot move from qualified to contacted | any other move (backwards)
          contacted | requested        | new       | -     | false   | contacted | a lead cannot move from contacted to new      | any other move (to new)
          new       | outbound_message | -         | -     | true    | contacted | -                                             | outbound to a new lead
          qualified | outbound_message | -         | -     | true    | qualified | -                                             | outbound otherwise unchanged
          contacted | reply            | -         | 8     | true    | qualified | -                                             | hot reply qualifies
          new       | reply            | -         | 7     | true    | qualified | -                                             | hot reply qualifies (boundary)
          new       | reply            | -         | 6     | true    | new       | -                                             | other reply unchanged
          contacted | reply            | -         | -     | true    | contacted | -                                             | reply without score unchanged
          lost      | reply            | -         | 9     | true    | lost      | -                                             | reply to a lost lead unchanged
          new       | scored           | -         | 8     | true    | qualified | -                                             | hot score suggests qualified (boundary)
          contacted | scored           | -         | 10    | true    | qualified | -                                             | hot score suggests qualified
          new       | scored           | -         | 7     | true    | new       | -                                             | other score suggests nothing
          qualified | scored           | -         | 9     | true    | qualified | -                                             | score of a qualified lead suggests nothing
          new       | signed           | -         | 5     | false   | new       | unknown event signed                          | unknown event
          new       | -                | -         | -     | false   | new       | no event given                                | no event
          """)
  void decidesEveryRuleOnTheEngine(
      String current,
      String event,
      String requested,
      Integer score,
      boolean allowed,
      String status,
      String reason,
      String rule)
      throws Exception {
    Map<String, Object> variables = new HashMap<>();
    variables.put(LeadStatusTransitions.CURRENT_STATUS, current);
    variables.put(LeadStatusTransitions.EVENT, event);
    variables.put(LeadStatusTransitions.REQUESTED_STATUS, requested);
    variables.put(LeadStatusTransitions.SCORE, score);

    EvaluateDecisionResponse response =
        client
            .newEvaluateDecisionCommand()
            .decisionId(LeadStatusTransitions.DECISION_ID)
            .variables(variables)
            .send()
            .join();

    JsonNode output = JSON.readTree(response.getDecisionOutput());
    assertThat(output.get("allowed").asBoolean()).as(rule + ": " + output).isEqualTo(allowed);
    assertThat(output.get("status").asText()).as(rule + ": " + output).isEqualTo(status);
    if (reason == null) {
      assertThat(output.get("reason").isNull()).as(rule + ": " + output).isTrue();
    } else {
      assertThat(output.get("reason").asText()).as(rule).contains(reason);
    }
  }
}
