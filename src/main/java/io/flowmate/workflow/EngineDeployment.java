package io.flowmate.workflow;

import java.util.List;

/**
 * A deployment read from the embedded engine's log, with the resources it carried.
 *
 * @param duplicatesOnly every resource was already deployed unchanged (no new versions)
 */
record EngineDeployment(
    long deploymentKey,
    List<Resource> resources,
    List<DeployedProcess> processes,
    boolean duplicatesOnly) {

  record Resource(String name, byte[] content) {}
}
