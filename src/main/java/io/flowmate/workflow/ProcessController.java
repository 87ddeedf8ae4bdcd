package io.flowmate.workflow;

import io.camunda.client.api.command.ClientStatusException;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.grpc.Status;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
 * For "start a process over REST" users: list what is deployed and start instances of their own
 * processes (deployed with Camunda Modeler or any Zeebe client).
 */
@RestController
@RequestMapping("/api/v2/processes")
@Tag(name = "Processes", description = "Deployed BPMN processes and generic instance start")
class ProcessController {

  /** The variable every instance started here carries, set from the API key, never the body. */
  static final String TENANT_VARIABLE = "tenantId";

  private static final String PROCESS_ID_PATTERN = "[A-Za-z_][A-Za-z0-9_.\\-]{0,254}";

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

  record StartedView(
      long processInstanceKey, String bpmnProcessId, int version, long processDefinitionKey) {}

  @GetMapping
  @RequiresScope(Scopes.PROCESSES_READ)
  @Operation(summary = "Deployed processes, newest version first; built-in ones are Flowmate's own")
  Page<ProcessView> list(
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    PageQuery page = PageQuery.of(limit, offset);
    List<DeployedProcess> all = catalog.list();
    List<ProcessView> window =
        all.stream()
            .skip(page.offset())
            .limit(page.limit())
            .map(
                p ->
                    new ProcessView(
                        p.bpmnProcessId(),
                        p.version(),
                        p.processDefinitionKey(),
                        p.resourceName(),
                        p.builtIn(),
                        !p.builtIn()))
            .toList();
    return Page.of(window, all.size(), page);
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
        throw ApiException.invalid("The engine refused the start: " + e.getStatus().getDescription());
      }
      throw e;
    }
  }
}
