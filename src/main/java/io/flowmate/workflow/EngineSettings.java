package io.flowmate.workflow;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
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
 * @param recycle when the embedded engine is replaced by a fresh one (see {@link EngineRecycler})
 */
@ConfigurationProperties("flowmate.engine")
public record EngineSettings(
    @DefaultValue("embedded") Mode mode,
    @DefaultValue("26500") int port,
    @DefaultValue("127.0.0.1") String address,
    UUID deploymentOwner,
    @DefaultValue Recycle recycle) {

  public enum Mode {
    EMBEDDED,
    REMOTE
  }

  /**
   * Recycling the embedded engine, which keeps every record it wrote in memory until it stops: a
   * fresh engine takes over on the same port and every needed instance is re-created from
   * PostgreSQL (see {@link EngineRecycler}).
   *
   * @param enabled whether the embedded engine is recycled by itself at all
   * @param heapShare recycle once the heap still in use after a full garbage collection exceeds
   *     this share of the maximum heap (0 &lt; share &le; 1)
   * @param nightlyAt also recycle every night at this time (in {@code zone}), within the following
   *     hour; unset: only by heap
   * @param zone the time zone of {@code nightlyAt}
   * @param minInterval never recycle more often than this, whatever the heap says
   * @param checkInterval how often the heap and the clock are checked
   * @param maxPause how long process starts wait for a recycle before they fail (and are retried by
   *     the reconciliation), and how long a recycle waits for the job workers to reconnect
   */
  public record Recycle(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("0.5") double heapShare,
      LocalTime nightlyAt,
      @DefaultValue("UTC") ZoneId zone,
      @DefaultValue("1h") Duration minInterval,
      @DefaultValue("1m") Duration checkInterval,
      @DefaultValue("30s") Duration maxPause) {

    public Recycle {
      if (!(heapShare > 0 && heapShare <= 1)) {
        throw new IllegalArgumentException(
            "flowmate.engine.recycle.heap-share must be above 0 and at most 1, not " + heapShare);
      }
    }
  }
}
