package io.flowmate.workflow.engine;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.ClientStatusException;
import io.camunda.client.api.response.ProcessInstanceResult;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.flowmate.workflow.EngineEpoch;
import io.grpc.Status;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which engine this is, read from the engine itself: the identity is a random id written into a
 * tiny process, {@value #PROCESS_ID}, the first time anyone asks an engine that has none. Reading
 * it runs an instance of that process's version 1 to its end and takes its {@value #VARIABLE}.
 *
 * <p>Why a process: the engine offers no other state that every client can read over gRPC alone
 * (the embedded engine has no REST API, and neither has a query API), and how a client addresses
 * the engine says nothing about it (two replicas may reach one cluster through different
 * addresses). An engine keeps its deployments as long as it keeps its instances, so the identity
 * changes exactly when the instances are gone: a fresh in-memory engine has no version 1 and gets a
 * new identity; a persistent cluster keeps it across restarts; every Flowmate instance connected to
 * one engine reads the same value. Two instances that find no version 1 at the same moment both
 * deploy, as versions 1 and 2, and both read version 1.
 */
final class EngineIdentity {

  /** The process that carries the identity. Reserved: never captured, restored or deployable. */
  static final String PROCESS_ID = "flowmate-engine-identity";

  static final String VARIABLE = "engine_id";

  /** How identities are written as epochs; anything else is an epoch from before identities. */
  static final String PREFIX = "engine:";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(EngineIdentity.class);

  private EngineIdentity() {}

  /** The engine's identity; gives it one first if it has none. */
  static String read(CamundaClient client) {
    try {
      return readVersion1(client);
    } catch (ClientStatusException e) {
      if (e.getStatusCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
    String identity = PREFIX + UUID.randomUUID();
    client
        .newDeployResourceCommand()
        .addProcessModel(model(identity), PROCESS_ID + ".bpmn")
        .send()
        .join();
    String read = readVersion1(client);
    log.info("The engine had no identity yet: it is {} from now on", read);
    return read;
  }

  private static String readVersion1(CamundaClient client) {
    ProcessInstanceResult result =
        client
            .newCreateInstanceCommand()
            .bpmnProcessId(PROCESS_ID)
            .version(1)
            .withResult()
            .requestTimeout(TIMEOUT)
            .send()
            .join();
    Object value = result.getVariablesAsMap().get(VARIABLE);
    if (!(value instanceof String identity) || !EngineEpoch.isIdentity(identity)) {
      throw new IllegalStateException(
          "Version 1 of %s on the engine carries no identity (%s): it was not deployed by Flowmate"
              .formatted(PROCESS_ID, value));
    }
    return identity;
  }

  /** A start event, a script task that sets the identity as a FEEL string literal, an end. */
  static BpmnModelInstance model(String identity) {
    return Bpmn.createExecutableProcess(PROCESS_ID)
        .name("Flowmate engine identity")
        .startEvent()
        .scriptTask(
            "identity",
            task -> task.zeebeExpression("\"" + identity + "\"").zeebeResultVariable(VARIABLE))
        .endEvent()
        .done();
  }
}
