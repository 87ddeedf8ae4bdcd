/**
 * Running the engine: its configuration (embedded or a Camunda 8 cluster), start-up and the {@link
 * io.flowmate.workflow.EngineReady} it announces, and the catalogue of deployed and custom
 * processes with its REST API. Internal to the workflow module.
 */
package io.flowmate.workflow.engine;
