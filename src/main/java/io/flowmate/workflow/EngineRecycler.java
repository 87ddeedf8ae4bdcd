package io.flowmate.workflow;

import io.camunda.client.CamundaClient;
import io.flowmate.workflow.engine.ProcessCatalog;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Replaces the embedded engine by a fresh one while Flowmate runs, because the embedded engine
 * keeps every record it ever wrote in memory until it stops. PostgreSQL is the source of truth and
 * every module re-creates the instances its rows need when the epoch changes, as after a restart;
 * this does the same without the restart.
 *
 * <p>A recycle: closes the {@link EngineGate} (process starts, messages and cancellations wait; the
 * calls under way finish first), lets the old engine process what it was sent, stops it and starts
 * an empty one on the same port with the same clock, tells the Camunda client to reconnect at once,
 * deploys Flowmate's models and the kept user deployments again, waits until the job workers
 * streamed back, moves to the new epoch, opens the gate and announces {@link EngineReady}, on which
 * every module re-creates its instances. Timers start again at the due times PostgreSQL holds. A
 * job a worker was running on the old engine finishes its work in PostgreSQL and fails to report it
 * to the engine; the re-created instance finds that work done (every worker loads its row by tenant
 * and id and checks its state), so nothing is sent twice.
 *
 * <p>It runs when the heap still in use after a full collection passes {@code heap-share}, and
 * every night at {@code nightly-at} if set, never more often than {@code min-interval}.
 */
@Component
@ConditionalOnProperty(
    name = "flowmate.engine.mode",
    havingValue = "embedded",
    matchIfMissing = true)
public class EngineRecycler {

  private static final Logger log = LoggerFactory.getLogger(EngineRecycler.class);
  private static final long MB = 1024 * 1024;

  /** How many check intervals pass between two confirming full collections that found no need. */
  private static final int CONFIRMATION_SPACING = 10;

  private final EmbeddedEngine engine;
  private final EngineGate gate;
  private final EngineEpoch epoch;
  private final ProcessCatalog catalog;
  private final CamundaClient client;
  private final ApplicationEventPublisher events;
  private final EngineSettings.Recycle settings;
  private final RecyclePolicy policy;
  private final Clock clock;

  private volatile boolean ready;
  private volatile Instant previous;
  private volatile Recycle last;
  private Instant lastConfirmation = Instant.MIN;

  EngineRecycler(
      EmbeddedEngine engine,
      EngineGate gate,
      EngineEpoch epoch,
      ProcessCatalog catalog,
      CamundaClient client,
      ApplicationEventPublisher events,
      EngineSettings settings,
      Clock clock) {
    this.engine = engine;
    this.gate = gate;
    this.epoch = epoch;
    this.catalog = catalog;
    this.client = client;
    this.events = events;
    this.settings = settings.recycle();
    this.policy = new RecyclePolicy(settings.recycle());
    this.clock = clock;
    this.previous = clock.instant();
  }

  /**
   * One recycle, for the log and the {@code engine} section of {@code /actuator/info}.
   *
   * @param heapBeforeBytes heap in use after a full collection, before
   * @param heapAfterBytes the same once every instance was re-created on the new engine
   * @param paused how long calls to the engine waited (the gate was closed)
   * @param took the whole recycle, re-creating the instances included
   * @param oldLogEntries what the old engine's log held
   */
  public record Recycle(
      Instant at,
      String reason,
      long heapBeforeBytes,
      long heapAfterBytes,
      Duration paused,
      Duration took,
      long oldLogEntries,
      String epoch) {}

  /** The latest recycle since the start, if any. */
  public Optional<Recycle> lastRecycle() {
    return Optional.ofNullable(last);
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    this.ready = true;
  }

  @Scheduled(
      fixedDelayString = "${flowmate.engine.recycle.check-interval:1m}",
      initialDelayString = "${flowmate.engine.recycle.check-interval:1m}")
  void check() {
    if (settings.enabled()) {
      recycleIfDue();
    }
  }

  /**
   * Recycles the engine if the nightly time or the heap calls for it (what the periodic check does
   * when recycling is enabled).
   *
   * @return the recycle, if one was due
   */
  public synchronized Optional<Recycle> recycleIfDue() {
    Instant now = clock.instant();
    if (!ready || !policy.intervalPassed(now, previous)) {
      return Optional.empty();
    }
    Optional<String> reason = policy.nightly(now, previous);
    if (reason.isEmpty()) {
      long max = Runtime.getRuntime().maxMemory();
      Instant nextConfirmation =
          lastConfirmation.plus(settings.checkInterval().multipliedBy(CONFIRMATION_SPACING));
      if (heapAfterLastCollection() <= policy.heapThreshold(max)
          || now.isBefore(nextConfirmation)) {
        return Optional.empty();
      }
      // Young collections leave dead objects in the old generation: only a full one tells.
      lastConfirmation = now;
      reason = policy.heap(heapAfterFullCollection(), max);
    }
    return reason.map(this::recycle);
  }

  /**
   * Replaces the embedded engine now (see the class comment).
   *
   * @param reason for the log
   * @throws EngineUnavailableException if the calls under way did not finish within {@code
   *     max-pause} (nothing was changed)
   */
  public synchronized Recycle recycle(String reason) {
    if (!ready) {
      throw new IllegalStateException("The engine has not started yet");
    }
    Instant at = clock.instant();
    long heapBefore = heapAfterFullCollection();
    long started = System.nanoTime();
    gate.close();
    EmbeddedEngine.Figures old;
    try {
      catalog.suspendCapturing();
      old = engine.replace();
      reconnectClient();
      // The fresh engine has no identity yet: reading it gives the engine one, a new epoch.
      epoch.forget();
      epoch.value();
      catalog.deployToFreshEngine();
      awaitJobWorkers(old.jobStreams());
    } finally {
      gate.open();
    }
    Duration paused = Duration.ofNanos(System.nanoTime() - started);
    events.publishEvent(new EngineReady(epoch.value()));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    long heapAfter = heapAfterFullCollection();
    previous = at;
    last =
        new Recycle(
            at, reason, heapBefore, heapAfter, paused, took, old.logEntries(), epoch.value());
    log.info(
        "Recycled the embedded engine ({}): heap {} MB before, {} MB after; starts paused {} ms,"
            + " instances re-created after {} ms; the old engine's log had {} entries",
        reason,
        heapBefore / MB,
        heapAfter / MB,
        paused.toMillis(),
        took.toMillis(),
        old.logEntries());
    return last;
  }

  /**
   * The client's channel would wait out its reconnect back-off (seconds, growing) after losing the
   * old engine; the new one is there now.
   */
  private void reconnectClient() {
    for (Class<?> type = client.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField("channel");
        field.setAccessible(true);
        if (field.get(client) instanceof io.grpc.ManagedChannel channel) {
          channel.resetConnectBackoff();
          channel.getState(true);
        }
        return;
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (ReflectiveOperationException | RuntimeException e) {
        log.debug("Could not hurry the engine client's reconnection: {}", e.getMessage());
        return;
      }
    }
  }

  /**
   * Waits until the job workers streamed back to the new engine (as many job types as the old one
   * had), so that the jobs of re-created instances reach them at once rather than at the next poll.
   */
  private void awaitJobWorkers(int streams) {
    long deadline = System.nanoTime() + settings.maxPause().toNanos();
    while (engine.figures().jobStreams() < streams) {
      if (System.nanoTime() > deadline) {
        log.warn(
            "Job workers did not all stream from the new engine within {}: {} of {} job types;"
                + " the others get their jobs at their next poll",
            settings.maxPause(),
            engine.figures().jobStreams(),
            streams);
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The heap in use after the latest collection, whichever collector ran it: cheap, but it counts
   * dead objects a young collection left in the old generation.
   */
  static long heapAfterLastCollection() {
    Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    long latestEnd = -1;
    long used = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(collector instanceof com.sun.management.GarbageCollectorMXBean detailed)
          || detailed.getLastGcInfo() == null) {
        continue;
      }
      var info = detailed.getLastGcInfo();
      if (info.getEndTime() > latestEnd) {
        latestEnd = info.getEndTime();
        used =
            info.getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> heapPools.contains(pool.getKey()))
                .map(java.util.Map.Entry::getValue)
                .mapToLong(MemoryUsage::getUsed)
                .sum();
      }
    }
    return latestEnd < 0
        ? ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
        : used;
  }

  /** The heap in use after a full collection: what is alive. */
  static long heapAfterFullCollection() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
