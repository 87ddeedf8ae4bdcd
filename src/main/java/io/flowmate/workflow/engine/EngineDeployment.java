package io.flowmate.workflow.engine;

import io.flowmate.workflow.DeployedProcess;
import java.util.List;
import java.util.Set;

/**
 * A deployment read from the embedded engine's log, with the resources it carried.
 *
 * @param definedIds the ids of every process, decision, decision graph and form it defines
 * @param duplicatesOnly every resource was already deployed unchanged (no new versions)
 */
public record EngineDeployment(
    long deploymentKey,
    List<Resource> resources,
    List<DeployedProcess> processes,
    Set<String> definedIds,
    boolean duplicatesOnly) {

  public record Resource(String name, byte[] content) {}
}
