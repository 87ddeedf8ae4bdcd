package io.flowmate.workflow;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.ClientStatusException;
import io.camunda.client.api.command.CreateProcessInstanceCommandStep1.CreateProcessInstanceCommandStep3;
import io.camunda.client.api.response.ProcessInstanceEvent;
import io.flowmate.core.db.ClusterLocks;
import io.flowmate.workflow.engine.ProcessCatalog;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Starts and signals process instances for the modules that own them. Variables carry ids only,
 * never personal data (names, numbers, texts): the engine's history is hard to erase.
 */
@Service
public class Processes {

  private final CamundaClient client;
  private final EngineEpoch epoch;
  private final ProcessCatalog catalog;
  private final ClusterLocks locks;

  Processes(CamundaClient client, EngineEpoch epoch, ProcessCatalog catalog, ClusterLocks locks) {
    this.client = client;
    this.epoch = epoch;
    this.catalog = catalog;
    this.locks = locks;
  }

  /** An instance just created, with the epoch to record next to its key. */
  public record StartedInstance(
      long processInstanceKey, long processDefinitionKey, int version, String epoch) {}

  public StartedInstance start(String bpmnProcessId, Map<String, Object> variables) {
    ProcessInstanceEvent started = definition(bpmnProcessId).variables(variables).send().join();
    return started(started);
  }

  /**
   * Starts an instance at an element instead of the start event: how a business object whose
   * process was lost continues where it stood (e.g. an approval already decided).
   */
  public StartedInstance startBefore(
      String bpmnProcessId, String elementId, Map<String, Object> variables) {
    ProcessInstanceEvent started =
        definition(bpmnProcessId).variables(variables).startBeforeElement(elementId).send().join();
    return started(started);
  }

  /**
   * The version Flowmate (built-in) or the process's owner deployed last, not merely the latest:
   * anyone who reaches the engine can deploy a new version over an id.
   */
  private CreateProcessInstanceCommandStep3 definition(String bpmnProcessId) {
    var command = client.newCreateInstanceCommand();
    return catalog
        .trustedDefinitionKey(bpmnProcessId)
        .map(command::processDefinitionKey)
        .orElseGet(() -> command.bpmnProcessId(bpmnProcessId).latestVersion());
  }

  private StartedInstance started(ProcessInstanceEvent event) {
    return new StartedInstance(
        event.getProcessInstanceKey(),
        event.getProcessDefinitionKey(),
        event.getVersion(),
        epoch.value());
  }

  public void publishMessage(
      String messageName, String correlationKey, Map<String, Object> variables, Duration ttl) {
    publishMessage(messageName, correlationKey, variables, ttl, null);
  }

  /**
   * Publishes a message; with a {@code messageId}, the engine refuses the same id again while the
   * first is still buffered (a signal sent twice by a retry is correlated once).
   */
  public void publishMessage(
      String messageName,
      String correlationKey,
      Map<String, Object> variables,
      Duration ttl,
      String messageId) {
    var command =
        client
            .newPublishMessageCommand()
            .messageName(messageName)
            .correlationKey(correlationKey)
            .variables(variables)
            .timeToLive(ttl);
    if (messageId != null) {
      command = command.messageId(messageId);
    }
    command.send().join();
  }

  public void cancel(long processInstanceKey) {
    client.newCancelInstanceCommand(processInstanceKey).send().join();
  }

  /**
   * Cancels the instance if the engine still has it.
   *
   * @return false if the engine had no such instance (any more)
   */
  public boolean cancelIfExists(long processInstanceKey) {
    try {
      cancel(processInstanceKey);
      return true;
    } catch (ClientStatusException e) {
      if (e.getStatusCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  public String epoch() {
    return epoch.value();
  }

  /** See {@link EngineEpoch#mayHoldInstancesOf}. */
  public boolean mayHoldInstancesOf(String recordedEpoch) {
    return epoch.mayHoldInstancesOf(recordedEpoch);
  }

  /**
   * Runs the work on one Flowmate instance at a time (of all those sharing the database); empty if
   * another runs it now.
   */
  public <T> Optional<T> exclusively(String name, Supplier<T> work) {
    return locks.exclusively(name, work);
  }
}
