/**
 * The workflow engine and the human side of it: runs the embedded Zeebe engine (zero set-up) or
 * connects to a Camunda 8 cluster, starts and lists processes, and owns approvals, the one human
 * task pattern every module's BPMN uses. Modules whose rows each need an instance use {@link
 * io.flowmate.workflow.ProcessBackedRows}, which also re-creates them on {@link
 * io.flowmate.workflow.EngineReady}.
 *
 * <p>The root holds the API other modules use (processes, approvals, reconciliation, the engine's
 * events and the embedded engine tests drive); {@code engine} (configuration, start-up, deployed
 * processes) and {@code approval} (the human task's storage, REST API and workers) are internal.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "core")
package io.flowmate.workflow;
