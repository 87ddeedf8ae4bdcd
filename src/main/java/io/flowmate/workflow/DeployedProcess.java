package io.flowmate.workflow;

/**
 * A process definition the engine knows.
 *
 * @param builtIn deployed by Flowmate from its own {@code bpmn/} folder; its instances are started
 *     by Flowmate's features, never through the generic start endpoint
 */
public record DeployedProcess(
    String bpmnProcessId,
    int version,
    long processDefinitionKey,
    String resourceName,
    boolean builtIn) {}
