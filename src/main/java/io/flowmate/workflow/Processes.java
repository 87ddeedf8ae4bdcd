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
 *
 * <p>While the embedded engine is being recycled ({@link EngineRecycler}) every call here waits
 * (briefly, see {@code flowmate.engine.recycle.max-pause}) and then goes to the new engine.
 */
@Service
public class Processes {

  private final CamundaClient client;
  private final EngineEpoch epoch;
  private final ProcessCatalog catalog;
  private final ClusterLocks locks;
  private final EngineGate gate;

  Processes(
      CamundaClient client,
      EngineEpoch epoch,
      ProcessCatalog catalog,
      ClusterLocks locks,
      EngineGate gate) {
    this.client = client;
    this.epoch = epoch;
    this.catalog = catalog;
    this.locks = locks;
    this.gate = gate;
  }

  /**
   * Runs a call to the engine (or several, with what must go with them, such as recording the
   * instance) while no recycle replaces the engine: waits for a recycle under way, and makes the
   * next one wait until the call is done. Calls through this class do so by themselves.
   *
   * @throws EngineUnavailableException if a recycle took longer than its maximum pause
   */
  public <T> T whenEngineAvailable(Supplier<T> call) {
    return gate.pass(call);
  }

  /** An instance just created, with the epoch to record next to its key. */
  public record StartedInstance(
      long processInstanceKey, long processDefinitionKey, int version, String epoch) {}

  public StartedInstance start(String bpmnProcessId, Map<String, Object> variables) {
    return gate.pass(() -> started(definition(bpmnProcessId).variables(variables).send().join()));
  }

  /**
   * Starts an instance at an element instead of the start event: how a business object whose
   * process was lost continues where it stood (e.g. an approval already decided).
   */
  public StartedInstance startBefore(
      String bpmnProcessId, String elementId, Map<String, Object> variables) {
    return gate.pass(() ->
        started(
            definition(bpmnProcessId)
                .variables(variables)
                .startBeforeElement(elementId)
                .send()
                .join()));
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
    var publish = command;
    gate.pass(() -> publish.send().join());
  }

  /**
   * Cancels the instance if it lives in the current engine: keys start again at the same values in
   * every epoch of the embedded engine, so an older epoch's key may name another instance now.
   *
   * @return false if the key is of another epoch (its instance is gone already)
   */
  public boolean cancel(long processInstanceKey, String engineEpoch) {
    return gate.pass(() -> {
      if (!epoch.value().equals(engineEpoch)) {
        return false;
      }
      client.newCancelInstanceCommand(processInstanceKey).send().join();
      return true;
    });
  }

  /**
   * Cancels an instance recorded under {@code recordedEpoch} if it may still be alive on this
   * engine ({@link EngineEpoch#mayHoldInstancesOf}), checked where no recycle can change the engine
   * meanwhile: a fresh engine hands out the same keys again.
   *
   * @return false if it cannot be alive here or the engine had no such instance (any more)
   */
  public boolean cancelIfAlive(long processInstanceKey, String recordedEpoch) {
    return gate.pass(() -> {
      if (!epoch.mayHoldInstancesOf(recordedEpoch)) {
        return false;
      }
      try {
        client.newCancelInstanceCommand(processInstanceKey).send().join();
        return true;
      } catch (ClientStatusException e) {
        if (e.getStatusCode() == Status.Code.NOT_FOUND) {
          return false;
        }
        throw e;
      }
    });
  }

  public String epoch() {
    return epoch.value();
  }

  /**
   * Runs the work on one Flowmate instance at a time (of all those sharing the database); empty if
   * another runs it now.
   */
  public <T> Optional<T> exclusively(String name, Supplier<T> work) {
    return locks.exclusively(name, work);
  }
}
