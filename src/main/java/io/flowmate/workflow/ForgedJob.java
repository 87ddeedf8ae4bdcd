package io.flowmate.workflow;

import io.camunda.client.exception.CamundaError;
import io.camunda.client.exception.JobError;
import java.util.Map;
import java.util.UUID;

/**
 * How a worker refuses a job whose variables do not match what PostgreSQL says (an instance started
 * with forged variables through the engine's port, or a step run out of turn): the job fails
 * without retries, so the instance stops at an incident and nothing is carried out. The message
 * names ids only, never personal data: it stays in the engine's history.
 */
public final class ForgedJob {

  private ForgedJob() {}

  /** The error to throw; {@code why} says which check failed. */
  public static JobError refuse(String why) {
    return CamundaError.jobError("Refused: " + why, Map.of(), 0);
  }

  /** A variable that must hold a UUID; refused if it does not. */
  public static UUID uuid(String name, String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw refuse("variable %s is not an id".formatted(name));
    }
  }
}
