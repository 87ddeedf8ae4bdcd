package io.flowmate.workflow;

import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Flowmate reaches the Camunda engine ({@code flowmate.engine.*}).
 *
 * @param mode {@code embedded}: start Zeebe's in-memory engine inside this JVM (state lives only as
 *     long as the process; PostgreSQL is the source of truth and modules re-create their instances
 *     on start). {@code remote}: use the cluster configured under {@code camunda.client.*}.
 * @param port gRPC port of the embedded engine (Camunda Modeler deploys to it); 0 picks a free one
 * @param address interface the embedded engine's gRPC port listens on. The port has no
 *     authentication: whoever reaches it can deploy, start instances and complete jobs, so it is
 *     loopback only unless set otherwise (which logs a warning at every start)
 * @param deploymentOwner the tenant that owns what is deployed straight to the embedded engine's
 *     gRPC port (Camunda Modeler, zbctl); unset, such processes are listed to and startable by no
 *     tenant through the API
 */
@ConfigurationProperties("flowmate.engine")
public record EngineSettings(
    @DefaultValue("embedded") Mode mode,
    @DefaultValue("26500") int port,
    @DefaultValue("127.0.0.1") String address,
    UUID deploymentOwner) {

  public enum Mode {
    EMBEDDED,
    REMOTE
  }
}
