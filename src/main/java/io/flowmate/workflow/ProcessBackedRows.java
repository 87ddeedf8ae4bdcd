package io.flowmate.workflow;

import io.flowmate.core.RepeatingFailureLog;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows of a module's table that each need a live process instance (campaigns, schedules,
 * follow-ups, reports, messages awaiting approval, leads due for scoring): starts a row's instance
 * after the row was committed, records its key next to the row, and re-creates it when the engine
 * lost it. The module says which rows should be live and where an instance starts; this holds the
 * rest, once.
 *
 * <p>Re-creating pages through the rows whose instance belongs to another engine epoch, or whose
 * start in this epoch was lost (no instance key after a grace period, see {@code
 * core.db.ProcessColumns}), takes each over for this epoch (once, however many nodes or threads
 * try) and starts its instance again. It runs when the engine is ready and periodically, in both
 * engine modes, on one Flowmate instance at a time (the others skip the run). A start the engine
 * refused leaves the row without a key, for the next run.
 *
 * <p>Before a row's instance is started again, its old instance is cancelled if it may still be
 * alive on this engine (an epoch recorded before engines had identities, see {@link
 * EngineEpoch#mayHoldInstancesOf}): an old follow-up or schedule instance left running would send a
 * second time. An instance the engine no longer has is fine; an engine that cannot answer leaves
 * the row, with its old key, for the next run.
 *
 * <p>Claiming, starting and recording an instance happen while the engine cannot be recycled
 * ({@link Processes#whenEngineAvailable}): a start that comes during a recycle waits for the new
 * engine, and a row claimed for the epoch that just ended is claimed again for the new one (or left
 * to the re-creation that did so first), so each row gets exactly one instance per epoch.
 */
public final class ProcessBackedRows<T> {

  private static final Logger log = LoggerFactory.getLogger(ProcessBackedRows.class);
  private static final int PAGE = 100;

  /**
   * How the module's table links a row to its instance (usually through {@code
   * core.db.ProcessColumns}).
   */
  public interface Table<T> {

    UUID id(T row);

    /** The instance the row recorded last, or null. */
    Long processInstanceKey(T row);

    /** The epoch that instance belongs to, or null. */
    String engineEpoch(T row);

    /**
     * Up to {@code limit} rows that should have a live instance but whose instance is not of {@code
     * epoch}, or whose start in it was lost.
     */
    List<T> outside(String epoch, int limit);

    /** Takes the row over for the epoch; false if someone else did first. */
    boolean claim(T row, String epoch);

    /** Records the row's instance, or none (null key and epoch: to be started again). */
    void attach(UUID id, Long processInstanceKey, String epoch);

    /**
     * The table from the row's id and epoch and the three repository calls every process-backed
     * table has (see {@code core.db.ProcessColumns}).
     */
    static <T> Table<T> of(
        Function<T, UUID> id,
        Function<T, Long> processInstanceKey,
        Function<T, String> engineEpoch,
        Outside<T> outside,
        Claim claim,
        Attach attach) {
      return new Table<>() {
        @Override
        public UUID id(T row) {
          return id.apply(row);
        }

        @Override
        public Long processInstanceKey(T row) {
          return processInstanceKey.apply(row);
        }

        @Override
        public String engineEpoch(T row) {
          return engineEpoch.apply(row);
        }

        @Override
        public List<T> outside(String epoch, int limit) {
          return outside.find(epoch, limit);
        }

        @Override
        public boolean claim(T row, String epoch) {
          return claim.claim(id.apply(row), engineEpoch.apply(row), epoch);
        }

        @Override
        public void attach(UUID rowId, Long processInstanceKey, String epoch) {
          attach.attach(rowId, processInstanceKey, epoch);
        }
      };
    }
  }

  /** Rows that need an instance of {@code epoch} and have none (see {@link Table#outside}). */
  @FunctionalInterface
  public interface Outside<T> {
    List<T> find(String epoch, int limit);
  }

  /** Takes a row over from {@code previousEpoch} for {@code epoch}; false if someone else did. */
  @FunctionalInterface
  public interface Claim {
    boolean claim(UUID id, String previousEpoch, String epoch);
  }

  /** Records a row's instance (see {@link Table#attach}). */
  @FunctionalInterface
  public interface Attach {
    void attach(UUID id, Long processInstanceKey, String epoch);
  }

  /**
   * Starts the row's instance where the row stands (the start event, or an element when it had
   * progressed), and does what must go with the start (e.g. tells an approval its instance).
   */
  @FunctionalInterface
  public interface Launch<T> {
    Processes.StartedInstance start(T row);
  }

  private final Processes processes;
  private final String kind;
  private final Table<T> table;
  private final Launch<T> launch;
  private final RepeatingFailureLog failures = new RepeatingFailureLog(log);

  /**
   * @param kind what a row is, for the logs: "campaign"
   */
  public ProcessBackedRows(Processes processes, String kind, Table<T> table, Launch<T> launch) {
    this.processes = processes;
    this.kind = kind;
    this.table = table;
    this.launch = launch;
  }

  /** The epoch a row inserted now is claimed for, so that its first start needs no claim. */
  public String epoch() {
    return processes.epoch();
  }

  /**
   * Starts the instance of a row claimed for the current epoch (at its insert, {@link #epoch()})
   * and records it. If the engine was recycled since, the row is first claimed for the new epoch;
   * if the re-creation claimed it first, it starts the instance instead and this does nothing.
   *
   * @return false if the engine refused (the row is left for {@link #reconcile})
   */
  public boolean start(T row) {
    return run(row, false) != Outcome.REFUSED;
  }

  private enum Outcome {
    STARTED,
    /** Another node or thread claimed the row for the current epoch first, and starts it. */
    TAKEN,
    REFUSED
  }

  /**
   * Claims the row for the current epoch if needed, then starts and records its instance, without a
   * recycle in between.
   *
   * @param claim whether the row must be claimed even if it looks claimed for the current epoch (a
   *     row found by {@link Table#outside} whose start in this epoch was lost)
   */
  private Outcome run(T row, boolean claim) {
    UUID id = table.id(row);
    try {
      return processes.whenEngineAvailable(() -> {
        String epoch = processes.epoch();
        if ((claim || !epoch.equals(table.engineEpoch(row))) && !table.claim(row, epoch)) {
          return Outcome.TAKEN;
        }
        Processes.StartedInstance started = launch.start(row);
        table.attach(id, started.processInstanceKey(), started.epoch());
        failures.succeeded(kind + ":" + id, "Starting the process of " + kind + " " + id);
        return Outcome.STARTED;
      });
    } catch (RuntimeException e) {
      // Tried again at every reconciliation while the engine refuses.
      failures.failed(
          kind + ":" + id, "Starting the process of " + kind + " " + id + " (retried later)", e);
      table.attach(id, null, null);
      return Outcome.REFUSED;
    }
  }

  /** Re-creates the instances the engine lost, and logs how many; for when the engine is ready. */
  public int recreate() {
    int started = reconcile();
    if (started > 0) {
      log.info("Re-created the process of {} {}(s)", started, kind);
    }
    return started;
  }

  /**
   * Starts the instances of rows outside the current epoch, and those whose start failed.
   *
   * @return how many instances were started
   */
  public int reconcile() {
    return processes.exclusively("reconcile " + kind, this::reconcileHere).orElse(0);
  }

  private int reconcileHere() {
    int started = 0;
    while (true) {
      List<T> page = table.outside(processes.epoch(), PAGE);
      int progress = 0;
      boolean refused = false;
      for (T row : page) {
        if (!retireOldInstance(row)) {
          refused = true;
          continue;
        }
        switch (run(row, true)) {
          case STARTED -> progress++;
          case REFUSED -> refused = true;
          case TAKEN -> {}
        }
      }
      started += progress;
      // A refusing engine would hand the same rows back at once: try again next time.
      if (page.size() < PAGE || progress == 0 || refused) {
        return started;
      }
    }
  }

  /**
   * Makes sure the row's old instance is gone before a new one starts: cancels it if it may still
   * be alive on this engine.
   *
   * @return false if the engine could not say (the row waits, keeping its old key)
   */
  private boolean retireOldInstance(T row) {
    Long key = table.processInstanceKey(row);
    if (key == null) {
      return true;
    }
    try {
      if (processes.cancelIfAlive(key, table.engineEpoch(row))) {
        log.info("Cancelled the old process instance {} of {} {}", key, kind, table.id(row));
      }
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "Could not cancel the old process instance of {} {}; retrying later: {}",
          kind,
          table.id(row),
          e.getMessage());
      return false;
    }
  }
}
