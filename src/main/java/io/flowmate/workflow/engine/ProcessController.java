package io.flowmate.workflow.engine;

import io.camunda.client.api.command.ClientStatusException;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.workflow.DeployedProcess;
import io.flowmate.workflow.Processes;
import io.grpc.Status;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * For "start a process over REST" users: deploy their own processes, list what they may start
 * (Flowmate's built-in processes and their own) and start instances of their own.
 */
@RestController
@RequestMapping("/api/v2/processes")
@Tag(name = "Processes", description = "Deployed BPMN processes and generic instance start")
class ProcessController {

  /** The variable every instance started here carries, set from the API key, never the body. */
  static final String TENANT_VARIABLE = "tenantId";

  private static final String PROCESS_ID_PATTERN = "[A-Za-z_][A-Za-z0-9_.\\-]{0,254}";
  private static final String RESOURCE_NAME_PATTERN = "[A-Za-z0-9_.\\- ]{1,200}\\.(bpmn|dmn|form)";
  private static final int MAX_RESOURCES = 20;
  private static final int MAX_RESOURCE_BYTES = 1_000_000;

  private final ProcessCatalog catalog;
  private final Processes processes;

  ProcessController(ProcessCatalog catalog, Processes processes) {
    this.catalog = catalog;
    this.processes = processes;
  }

  record ProcessView(
      String bpmnProcessId,
      int version,
      long processDefinitionKey,
      String resourceName,
      boolean builtIn,
      boolean startableViaApi) {}

  record StartRequest(Map<String, Object> variables) {}

  /** A BPMN, DMN or form file: its name (with its extension) and its XML or JSON text. */
  record ResourceRequest(String name, String content) {}

  record DeployRequest(List<ResourceRequest> resources) {}

  record DeployedView(List<ProcessView> processes) {}

  record StartedView(
      long processInstanceKey, String bpmnProcessId, int version, long processDefinitionKey) {}

  @GetMapping
  @RequiresScope(Scopes.PROCESSES_READ)
  @Operation(summary = "Deployed processes, newest version first; built-in ones are Flowmate's own")
  Page<ProcessView> list(
      Caller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    PageQuery page = PageQuery.of(limit, offset);
    List<DeployedProcess> all = catalog.list(caller.tenantId());
    List<ProcessView> window =
        all.stream().skip(page.offset()).limit(page.limit()).map(ProcessController::view).toList();
    return Page.of(window, all.size(), page);
  }

  private static ProcessView view(DeployedProcess p) {
    return new ProcessView(
        p.bpmnProcessId(),
        p.version(),
        p.processDefinitionKey(),
        p.resourceName(),
        p.builtIn(),
        !p.builtIn());
  }

  @PostMapping("/deployments")
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.PROCESSES_MANAGE)
  @Operation(
      summary = "Deploy BPMN, DMN and form files; the calling tenant owns the ids they define",
      description =
          "An id of one of Flowmate's own processes, decisions or forms is refused (403), one that"
              + " another tenant deployed first as well (409).")
  DeployedView deploy(Caller caller, @RequestBody(required = false) DeployRequest request) {
    if (request == null || request.resources() == null || request.resources().isEmpty()) {
      throw ApiException.invalid("resources is required: at least one BPMN, DMN or form file");
    }
    if (request.resources().size() > MAX_RESOURCES) {
      throw ApiException.invalid("At most %d resources per deployment".formatted(MAX_RESOURCES));
    }
    List<EngineDeployment.Resource> resources = new ArrayList<>();
    for (ResourceRequest resource : request.resources()) {
      if (resource == null
          || resource.name() == null
          || !resource.name().matches(RESOURCE_NAME_PATTERN)) {
        throw ApiException.invalid("Each resource needs a name ending in .bpmn, .dmn or .form");
      }
      if (resource.content() == null || resource.content().isBlank()) {
        throw ApiException.invalid("Resource '%s' has no content".formatted(resource.name()));
      }
      byte[] content = resource.content().getBytes(StandardCharsets.UTF_8);
      if (content.length > MAX_RESOURCE_BYTES) {
        throw ApiException.invalid(
            "Resource '%s' is larger than %d bytes".formatted(resource.name(), MAX_RESOURCE_BYTES));
      }
      resources.add(new EngineDeployment.Resource(resource.name(), content));
    }
    // Not while the embedded engine is being replaced: it would miss the new engine.
    List<DeployedProcess> deployed =
        processes.whenEngineAvailable(() -> catalog.deployFor(caller.tenantId(), resources));
    return new DeployedView(deployed.stream().map(ProcessController::view).toList());
  }

  @PostMapping("/{bpmnProcessId}/instances")
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.PROCESSES_MANAGE)
  @Operation(
      summary = "Start an instance of the latest version with the given variables",
      description =
          "The variable tenantId is always set to the calling tenant. Flowmate's built-in"
              + " processes are started by their own endpoints and are refused here.")
  StartedView start(
      Caller caller,
      @PathVariable String bpmnProcessId,
      @RequestBody(required = false) StartRequest request) {
    if (!bpmnProcessId.matches(PROCESS_ID_PATTERN)) {
      throw ApiException.invalid("'%s' is not a valid BPMN process id".formatted(bpmnProcessId));
    }
    if (catalog.isBuiltIn(bpmnProcessId)) {
      throw ApiException.forbidden(
          "'%s' is one of Flowmate's own processes; it is started through its feature's API"
              .formatted(bpmnProcessId));
    }
    if (!catalog.isOwnedBy(bpmnProcessId, caller.tenantId())) {
      // Another tenant's process is as unknown to the caller as one never deployed.
      throw ApiException.notFound("Process", bpmnProcessId);
    }
    Map<String, Object> variables = new HashMap<>();
    if (request != null && request.variables() != null) {
      variables.putAll(request.variables());
    }
    variables.put(TENANT_VARIABLE, caller.tenantId().toString());
    try {
      Processes.StartedInstance started = processes.start(bpmnProcessId, variables);
      return new StartedView(
          started.processInstanceKey(),
          bpmnProcessId,
          started.version(),
          started.processDefinitionKey());
    } catch (ClientStatusException e) {
      if (e.getStatusCode() == Status.Code.NOT_FOUND) {
        throw ApiException.notFound("Process", bpmnProcessId);
      }
      if (e.getStatusCode() == Status.Code.INVALID_ARGUMENT) {
        throw ApiException.invalid(
            "The engine refused the start: " + e.getStatus().getDescription());
      }
      throw e;
    }
  }
}
