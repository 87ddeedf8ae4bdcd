package io.flowmate.workflow;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Flowmate reaches the Camunda engine ({@code flowmate.engine.*}).
 *
 * @param mode {@code embedded}: start Zeebe's in-memory engine inside this JVM (state lives only as
 *     long as the process; PostgreSQL is the source of truth and modules re-create their instances
 *     on start). {@code remote}: use the cluster configured under {@code camunda.client.*}.
 * @param port gRPC port of the embedded engine (Camunda Modeler deploys to it); 0 picks a free one
 * @param epoch identifies the remote cluster's state; change it only when the cluster's data was
 *     wiped so that Flowmate re-creates every process instance it needs
 */
@ConfigurationProperties("flowmate.engine")
public record EngineSettings(
    @DefaultValue("embedded") Mode mode,
    @DefaultValue("26500") int port,
    String epoch) {

  public enum Mode {
    EMBEDDED,
    REMOTE
  }
}
