package io.flowmate.workflow.engine;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.DeployResourceCommandStep1.DeployResourceCommandStep2;
import io.camunda.client.api.response.DeploymentEvent;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.workflow.DeployedProcess;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.EngineSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What processes the engine has, and whose they are. Flowmate's own deployment is recorded from the
 * start-up event; tenants deploy through the API and own the ids they deploy first; on the embedded
 * engine every other deployment (Camunda Modeler, any Zeebe client) is read from the engine's log
 * and kept in PostgreSQL so that it is deployed again after a restart. On a remote cluster the
 * cluster itself keeps deployments and lists them through its REST search.
 *
 * <p>The engine versions processes by id for everyone, so a deployment that reuses an id replaces
 * the process for new instances. One that reuses a built-in id is never kept nor deployed again
 * (Flowmate's own version is deployed over it at once), and Flowmate starts its own and each
 * tenant's processes by the definition that Flowmate or the owner deployed, never merely the
 * latest.
 */
@Component
public class ProcessCatalog {

  private static final Logger log = LoggerFactory.getLogger(ProcessCatalog.class);

  /** The same resources as {@code @Deployment} on the application class. */
  private static final List<String> BUILT_IN_RESOURCES =
      List.of("classpath*:/bpmn/*.bpmn", "classpath*:/bpmn/*.form", "classpath*:/dmn/*.dmn");

  private final Map<Long, DeployedProcess> processes = new ConcurrentHashMap<>();
  private final Set<String> builtInProcessIds = ConcurrentHashMap.newKeySet();

  /** Every id Flowmate's models define: processes, decisions, decision graphs, forms. */
  private final Set<String> builtInIds = ConcurrentHashMap.newKeySet();

  /** Per process id, the latest definition deployed by Flowmate or by the id's owner. */
  private final Map<String, DeployedProcess> trusted = new ConcurrentHashMap<>();

  private final Set<Long> ownDeploymentKeys = ConcurrentHashMap.newKeySet();
  private final Set<Long> ownDefinitionKeys = ConcurrentHashMap.newKeySet();
  private final ObjectProvider<EmbeddedEngine> embedded;
  private final DeploymentStore store;
  private final CamundaClient client;
  private final EngineSettings settings;
  private final Clock clock;
  private volatile boolean capturing;

  ProcessCatalog(
      ObjectProvider<EmbeddedEngine> embedded,
      DeploymentStore store,
      CamundaClient client,
      EngineSettings settings,
      Clock clock) {
    this.embedded = embedded;
    this.store = store;
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    // The engine's identity is the engine's, not a deployment anyone may keep, restore or replace.
    builtInIds.add(EngineIdentity.PROCESS_ID);
  }

  /** Flowmate's own models from {@code bpmn/} and {@code dmn/}. */
  void recordBuiltIn(List<DeploymentEvent> deployments) {
    for (DeploymentEvent deployment : deployments) {
      deployment.getProcesses().forEach(p -> builtInProcessIds.add(p.getBpmnProcessId()));
      builtInIds.addAll(definedIds(deployment));
      recordOwn(deployment);
    }
  }

  /** On a fresh embedded engine: deploys again what users deployed to the previous one. */
  void restoreUserDeployments() {
    if (embedded.getIfAvailable() == null) {
      return;
    }
    for (DeploymentStore.StoredDeployment stored : store.all()) {
      List<String> names =
          stored.resources().stream().map(EngineDeployment.Resource::name).toList();
      Optional<String> refusal = refusal(stored);
      if (refusal.isPresent()) {
        log.warn("Not deploying again the saved deployment of {}: {}", names, refusal.get());
        continue;
      }
      try {
        DeploymentEvent deployed = deploy(stored.resources());
        if (stored.owner().isEmpty()) {
          // Made straight to the port: the configured owner (if any) owns its ids from now on.
          portOwner()
              .ifPresent(tenant -> store.claim(tenant, definedIds(deployed), clock.instant()));
        }
        recordOwn(deployed);
      } catch (RuntimeException e) {
        log.warn("Could not deploy again the saved deployment of {}: {}", names, e.getMessage());
      }
    }
  }

  /** Why a kept deployment must not be deployed again, if it must not. */
  private Optional<String> refusal(DeploymentStore.StoredDeployment stored) {
    Set<String> ids = new HashSet<>();
    try {
      stored.resources().forEach(r -> ids.addAll(ResourceIds.of(r.name(), r.content())));
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (ids.stream().anyMatch(builtInIds::contains)) {
      return Optional.of("it reuses the id of one of Flowmate's own processes, decisions or forms");
    }
    Optional<TenantId> owner = stored.owner().or(this::portOwner);
    Map<String, TenantId> owners = store.owners();
    if (ids.stream()
        .anyMatch(id -> owners.containsKey(id) && !Optional.of(owners.get(id)).equals(owner))) {
      return Optional.of("it reuses the id of another tenant's process, decision or form");
    }
    return Optional.empty();
  }

  /**
   * A tenant's deployment through the API: refused if it defines an id of Flowmate's (403) or of
   * another tenant's (409); otherwise the tenant owns its ids from now on.
   */
  synchronized List<DeployedProcess> deployFor(
      TenantId tenant, List<EngineDeployment.Resource> resources) {
    Set<String> ids = new HashSet<>();
    for (EngineDeployment.Resource resource : resources) {
      try {
        ids.addAll(ResourceIds.of(resource.name(), resource.content()));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(e.getMessage());
      }
    }
    if (ids.isEmpty()) {
      throw ApiException.invalid("The resources define no process, decision or form");
    }
    List<String> builtIn = ids.stream().filter(builtInIds::contains).sorted().toList();
    if (!builtIn.isEmpty()) {
      throw ApiException.forbidden(
          "%s is one of Flowmate's own processes, decisions or forms; it cannot be deployed again"
              .formatted(builtIn));
    }
    Set<String> taken = store.claim(tenant, ids, clock.instant());
    if (!taken.isEmpty()) {
      throw ApiException.conflict(
          "%s belongs to another tenant; deploy it under another id"
              .formatted(taken.stream().sorted().toList()));
    }
    DeploymentEvent deployed;
    try {
      deployed = deploy(resources);
    } catch (RuntimeException e) {
      throw ApiException.invalid("The engine refused the deployment: " + e.getMessage());
    }
    recordOwn(deployed);
    if (embedded.getIfAvailable() != null) {
      store.save(resources, tenant, clock.instant());
    }
    return deployed.getProcesses().stream()
        .map(p -> processes.get(p.getProcessDefinitionKey()))
        .toList();
  }

  private DeploymentEvent deploy(List<EngineDeployment.Resource> resources) {
    var command = client.newDeployResourceCommand();
    DeployResourceCommandStep2 step =
        command.addResourceBytes(resources.getFirst().content(), resources.getFirst().name());
    for (EngineDeployment.Resource resource : resources.subList(1, resources.size())) {
      step = step.addResourceBytes(resource.content(), resource.name());
    }
    return step.send().join();
  }

  /** A deployment by Flowmate or by the owner of its ids: listed, and what instances start from. */
  private void recordOwn(DeploymentEvent deployment) {
    ownDeploymentKeys.add(deployment.getKey());
    deployment
        .getProcesses()
        .forEach(p -> {
          DeployedProcess process =
              new DeployedProcess(
                  p.getBpmnProcessId(),
                  p.getVersion(),
                  p.getProcessDefinitionKey(),
                  p.getResourceName(),
                  builtInProcessIds.contains(p.getBpmnProcessId()));
          processes.put(p.getProcessDefinitionKey(), process);
          ownDefinitionKeys.add(p.getProcessDefinitionKey());
          trusted.merge(
              p.getBpmnProcessId(),
              process,
              (old, now) -> now.version() >= old.version() ? now : old);
        });
  }

  /** Starts watching the embedded engine for deployments made by others. */
  void startCapturing() {
    capturing = true;
    captureEngineDeployments();
  }

  /**
   * Stops reading the embedded engine's deployments while it is replaced: what the recycle deploys
   * to the fresh engine is Flowmate's own, not someone else's to capture.
   */
  public synchronized void suspendCapturing() {
    capturing = false;
  }

  /**
   * After the embedded engine was replaced by an empty one: forgets the old engine's definitions
   * (their keys mean nothing to the new engine), deploys Flowmate's models and the kept user
   * deployments again, in the order of a start, and watches the engine again.
   */
  public synchronized void deployToFreshEngine() {
    processes.clear();
    trusted.clear();
    ownDeploymentKeys.clear();
    ownDefinitionKeys.clear();
    recordOwn(deploy(builtInResources()));
    restoreUserDeployments();
    startCapturing();
  }

  @Scheduled(fixedDelayString = "${flowmate.engine.deployment-capture-interval:PT2S}")
  synchronized void captureEngineDeployments() {
    EmbeddedEngine engine = embedded.getIfAvailable();
    if (!capturing || engine == null) {
      return;
    }
    for (EngineDeployment deployment : engine.readNewDeployments()) {
      if (!ownDeploymentKeys.contains(deployment.deploymentKey())) {
        capture(deployment);
      }
    }
  }

  private void capture(EngineDeployment deployment) {
    if (deployment.definedIds().contains(EngineIdentity.PROCESS_ID)) {
      // The engine's identity: kept by the engine alone. Restored on a fresh engine, it would make
      // that engine look like the one before, whose instances are gone.
      return;
    }
    if (deployment.duplicatesOnly()
        && deployment.processes().stream()
            .allMatch(p -> ownDefinitionKeys.contains(p.processDefinitionKey()))) {
      // Another Flowmate instance on this engine deployed the same models: nothing changed.
      return;
    }
    List<String> names =
        deployment.resources().stream().map(EngineDeployment.Resource::name).toList();
    if (deployment.definedIds().stream().anyMatch(builtInIds::contains)) {
      log.warn(
          "A deployment of {} to the engine's gRPC port reuses the id of one of Flowmate's own"
              + " processes, decisions or forms: it is not kept, and Flowmate's own version is"
              + " deployed over it",
          names);
      redeployBuiltIns();
      return;
    }
    Optional<TenantId> owner = portOwner();
    Map<String, TenantId> owners = store.owners();
    if (deployment.definedIds().stream()
        .anyMatch(id -> owners.containsKey(id) && !Optional.of(owners.get(id)).equals(owner))) {
      log.warn(
          "A deployment of {} to the engine's gRPC port reuses the id of a tenant's process,"
              + " decision or form: it is not kept, and the tenant's instances still start from the"
              + " tenant's own version",
          names);
      return;
    }
    owner.ifPresent(tenant -> store.claim(tenant, deployment.definedIds(), clock.instant()));
    deployment
        .processes()
        .forEach(p -> {
          processes.put(p.processDefinitionKey(), p);
          trusted.merge(
              p.bpmnProcessId(), p, (old, now) -> now.version() >= old.version() ? now : old);
        });
    if (!deployment.duplicatesOnly()) {
      store.save(deployment.resources(), null, clock.instant());
      log.info(
          "Captured a deployment of {} to the embedded engine; it will be deployed again after"
              + " a restart",
          names);
    }
  }

  /** Deploys Flowmate's models again, so that the latest version of each is Flowmate's own. */
  private void redeployBuiltIns() {
    try {
      recordOwn(deploy(builtInResources()));
    } catch (RuntimeException e) {
      log.warn("Could not deploy Flowmate's own models again: {}", e.getMessage());
    }
  }

  private static List<EngineDeployment.Resource> builtInResources() {
    List<EngineDeployment.Resource> resources = new ArrayList<>();
    PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    try {
      for (String pattern : BUILT_IN_RESOURCES) {
        for (Resource resource : resolver.getResources(pattern)) {
          try (InputStream in = resource.getInputStream()) {
            resources.add(new EngineDeployment.Resource(resource.getFilename(), in.readAllBytes()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Flowmate's own models could not be read", e);
    }
    return resources;
  }

  /** Flowmate's built-in processes, and the tenant's own. */
  List<DeployedProcess> list(TenantId tenant) {
    if (embedded.getIfAvailable() != null) {
      captureEngineDeployments();
    } else {
      searchRemote();
    }
    Map<String, TenantId> owners = store.owners();
    return processes.values().stream()
        // A remote cluster's search also returns versions others deployed over a built-in id.
        .filter(p ->
            p.builtIn()
                ? ownDefinitionKeys.contains(p.processDefinitionKey())
                : tenant.equals(owners.get(p.bpmnProcessId())))
        .sorted(
            Comparator.comparing(DeployedProcess::bpmnProcessId)
                .thenComparing(DeployedProcess::version, Comparator.reverseOrder()))
        .toList();
  }

  boolean isBuiltIn(String bpmnProcessId) {
    return builtInProcessIds.contains(bpmnProcessId);
  }

  boolean isOwnedBy(String bpmnProcessId, TenantId tenant) {
    return store.owner(bpmnProcessId).map(tenant::equals).orElse(false);
  }

  /**
   * The definition new instances of the process start from: the latest that Flowmate (built-in) or
   * the id's owner deployed; empty if none is known here (a remote cluster after a restart).
   */
  public Optional<Long> trustedDefinitionKey(String bpmnProcessId) {
    return Optional.ofNullable(trusted.get(bpmnProcessId))
        .map(DeployedProcess::processDefinitionKey);
  }

  private Optional<TenantId> portOwner() {
    return Optional.ofNullable(settings.deploymentOwner()).map(TenantId::of);
  }

  private static Set<String> definedIds(DeploymentEvent deployment) {
    Set<String> ids = new HashSet<>();
    deployment.getProcesses().forEach(p -> ids.add(p.getBpmnProcessId()));
    deployment.getDecisions().forEach(d -> ids.add(d.getDmnDecisionId()));
    deployment.getDecisionRequirements().forEach(d -> ids.add(d.getDmnDecisionRequirementsId()));
    deployment.getForm().forEach(f -> ids.add(f.getFormId()));
    return ids;
  }

  /** A remote cluster with secondary storage also knows deployments made by others. */
  private void searchRemote() {
    try {
      client
          .newProcessDefinitionSearchRequest()
          .send()
          .join()
          .items()
          .forEach(p ->
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
