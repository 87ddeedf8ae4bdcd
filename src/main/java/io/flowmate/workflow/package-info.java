/**
 * The workflow engine and the human side of it: runs the embedded Zeebe engine (zero set-up) or
 * connects to a Camunda 8 cluster, starts and lists processes, and owns approvals, the one human
 * task pattern every module's BPMN uses. Modules re-create their process instances on
 * {@link io.flowmate.workflow.EngineReady}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "core")
package io.flowmate.workflow;
