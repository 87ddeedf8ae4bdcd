package io.flowmate.leads.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.ClientException;
import io.camunda.client.api.response.EvaluateDecisionResponse;
import io.flowmate.core.api.ApiException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Asks the engine whether a lead may change status, by evaluating the decision {@value
 * #DECISION_ID} ({@code dmn/leads-status-transition.dmn}). The table is the only place the policy
 * lives: a Modeler user who edits and redeploys it changes what the API allows.
 */
@Component
public class LeadStatusTransitions {

  static final String DECISION_ID = "leads-status-transition";

  /** The decision's inputs. */
  public static final String CURRENT_STATUS = "currentStatus";

  public static final String EVENT = "event";
  public static final String REQUESTED_STATUS = "requestedStatus";
  public static final String SCORE = "score";

  /**
   * What happened to the lead: a person asked for a status, a message went or came, or the lead was
   * scored (the status the decision gives then is only a suggestion).
   */
  public enum Event {
    REQUESTED,
    OUTBOUND_MESSAGE,
    REPLY,
    SCORED;

    public String value() {
      return name().toLowerCase();
    }
  }

  /** The decision's answer: the resulting status when allowed, otherwise why not. */
  public record Verdict(boolean allowed, LeadStatus status, String reason) {}

  private final CamundaClient client;
  private final ObjectMapper json;

  LeadStatusTransitions(CamundaClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  /** Whether a person may move a lead from {@code current} to {@code requested}. */
  Verdict request(LeadStatus current, LeadStatus requested, Integer score) {
    return evaluate(current, Event.REQUESTED, requested, score);
  }

  public Verdict evaluate(LeadStatus current, Event event, LeadStatus requested, Integer score) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(CURRENT_STATUS, current.value());
    variables.put(EVENT, event.value());
    variables.put(REQUESTED_STATUS, requested == null ? null : requested.value());
    variables.put(SCORE, score);
    EvaluateDecisionResponse response;
    try {
      response =
          client
              .newEvaluateDecisionCommand()
              .decisionId(DECISION_ID)
              .variables(variables)
              .send()
              .join();
    } catch (ClientException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "The lead status policy (decision %s) could not be evaluated: %s; retry shortly"
              .formatted(DECISION_ID, e.getMessage()));
    }
    return verdict(response.getDecisionOutput(), current, event, requested);
  }

  private Verdict verdict(String output, LeadStatus current, Event event, LeadStatus requested) {
    try {
      JsonNode result = json.readTree(output);
      if (result == null || result.isNull()) {
        // No rule matched: what the table does not allow is refused.
        return new Verdict(
            false,
            null,
            "no rule of decision %s allows %s for a %s lead"
                .formatted(
                    DECISION_ID,
                    event == Event.REQUESTED
                        ? "moving to " + (requested == null ? "no status" : requested.value())
                        : event.value(),
                    current.value()));
      }
      if (!result.isObject() || !result.path("allowed").isBoolean()) {
        throw new IllegalStateException(
            "Decision %s must output {allowed, status, reason}, got %s"
                .formatted(DECISION_ID, output));
      }
      JsonNode status = result.path("status");
      JsonNode reason = result.path("reason");
      return new Verdict(
          result.get("allowed").asBoolean(),
          status.isTextual() ? LeadStatus.parse(status.asText()) : null,
          reason.isTextual() ? reason.asText() : null);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Decision %s returned no JSON: %s".formatted(DECISION_ID, output), e);
    }
  }
}
