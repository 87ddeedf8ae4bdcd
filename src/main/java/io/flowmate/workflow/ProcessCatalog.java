package io.flowmate.workflow;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.DeploymentEvent;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What processes the engine has. Flowmate's own deployment is recorded from the start-up event;
 * on the embedded engine every other deployment (Camunda Modeler, any Zeebe client) is read from
 * the engine's log and kept in PostgreSQL so that it is deployed again after a restart. On a remote
 * cluster the cluster itself keeps deployments and lists them through its REST search.
 */
@Component
class ProcessCatalog {

  private static final Logger log = LoggerFactory.getLogger(ProcessCatalog.class);

  private final Map<Long, DeployedProcess> processes = new ConcurrentHashMap<>();
  private final Set<String> builtInProcessIds = ConcurrentHashMap.newKeySet();
  private final Set<Long> ownDeploymentKeys = ConcurrentHashMap.newKeySet();
  private final ObjectProvider<EmbeddedEngine> embedded;
  private final DeploymentStore store;
  private final CamundaClient client;
  private final Clock clock;
  private volatile boolean capturing;

  ProcessCatalog(
      ObjectProvider<EmbeddedEngine> embedded,
      DeploymentStore store,
      CamundaClient client,
      Clock clock) {
    this.embedded = embedded;
    this.store = store;
    this.client = client;
    this.clock = clock;
  }

  /** Flowmate's own models from {@code bpmn/} and {@code dmn/}. */
  void recordBuiltIn(List<DeploymentEvent> deployments) {
    for (DeploymentEvent deployment : deployments) {
      deployment.getProcesses().forEach(p -> builtInProcessIds.add(p.getBpmnProcessId()));
      recordOwn(deployment);
    }
  }

  /** On a fresh embedded engine: deploys again what users deployed to the previous one. */
  void restoreUserDeployments() {
    if (embedded.getIfAvailable() == null) {
      return;
    }
    for (List<EngineDeployment.Resource> resources : store.all()) {
      var command = client.newDeployResourceCommand();
      var step = command.addResourceBytes(resources.getFirst().content(), resources.getFirst().name());
      for (EngineDeployment.Resource resource : resources.subList(1, resources.size())) {
        step = step.addResourceBytes(resource.content(), resource.name());
      }
      try {
        recordOwn(step.send().join());
      } catch (RuntimeException e) {
        log.warn(
            "Could not deploy again the saved deployment of {}: {}",
            resources.stream().map(EngineDeployment.Resource::name).toList(),
            e.getMessage());
      }
    }
  }

  private void recordOwn(DeploymentEvent deployment) {
    ownDeploymentKeys.add(deployment.getKey());
    deployment
        .getProcesses()
        .forEach(
            p ->
                processes.put(
                    p.getProcessDefinitionKey(),
                    new DeployedProcess(
                        p.getBpmnProcessId(),
                        p.getVersion(),
                        p.getProcessDefinitionKey(),
                        p.getResourceName(),
                        builtInProcessIds.contains(p.getBpmnProcessId()))));
  }

  /** Starts watching the embedded engine for deployments made by others. */
  void startCapturing() {
    capturing = true;
    captureEngineDeployments();
  }

  @Scheduled(fixedDelayString = "${flowmate.engine.deployment-capture-interval:PT2S}")
  synchronized void captureEngineDeployments() {
    EmbeddedEngine engine = embedded.getIfAvailable();
    if (!capturing || engine == null) {
      return;
    }
    for (EngineDeployment deployment : engine.readNewDeployments()) {
      if (ownDeploymentKeys.contains(deployment.deploymentKey())) {
        continue;
      }
      deployment
          .processes()
          .forEach(
              p ->
                  processes.put(
                      p.processDefinitionKey(),
                      new DeployedProcess(
                          p.bpmnProcessId(),
                          p.version(),
                          p.processDefinitionKey(),
                          p.resourceName(),
                          builtInProcessIds.contains(p.bpmnProcessId()))));
      if (!deployment.duplicatesOnly()) {
        store.save(deployment.resources(), clock.instant());
        log.info(
            "Captured a deployment of {} to the embedded engine; it will be deployed again after"
                + " a restart",
            deployment.resources().stream().map(EngineDeployment.Resource::name).toList());
      }
    }
  }

  List<DeployedProcess> list() {
    if (embedded.getIfAvailable() != null) {
      captureEngineDeployments();
    } else {
      searchRemote();
    }
    return processes.values().stream()
        .sorted(
            Comparator.comparing(DeployedProcess::bpmnProcessId)
                .thenComparing(DeployedProcess::version, Comparator.reverseOrder()))
        .toList();
  }

  boolean isBuiltIn(String bpmnProcessId) {
    return builtInProcessIds.contains(bpmnProcessId);
  }

  /** A remote cluster with secondary storage also knows deployments made by others. */
  private void searchRemote() {
    try {
      client
          .newProcessDefinitionSearchRequest()
          .send()
          .join()
          .items()
          .forEach(
              p ->
                  processes.put(
                      p.getProcessDefinitionKey(),
                      new DeployedProcess(
                          p.getProcessDefinitionId(),
                          p.getVersion(),
                          p.getProcessDefinitionKey(),
                          p.getResourceName(),
                          builtInProcessIds.contains(p.getProcessDefinitionId()))));
    } catch (RuntimeException e) {
      log.debug("Process definition search is not available on this cluster: {}", e.getMessage());
    }
  }
}
