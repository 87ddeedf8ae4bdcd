package io.flowmate.workflow;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Lets calls to the engine through while no recycle replaces it, and holds them while one does:
 * each call shares the gate with every other; a recycle waits for the calls under way to finish,
 * then has it alone until the new engine is ready. A call that would wait longer than {@code
 * flowmate.engine.recycle.max-pause} fails instead, as if the engine could not be reached.
 */
@Component
class EngineGate {

  // Fair: once a recycle waits, new calls queue behind it instead of starving it.
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
  private final Duration maxPause;

  EngineGate(EngineSettings settings) {
    this.maxPause = settings.recycle().maxPause();
  }

  /** Runs the call while the engine is not being replaced (nested calls pass at once). */
  <T> T pass(Supplier<T> call) {
    acquire(lock.readLock(), "reach the engine");
    try {
      return call.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Holds every later call until {@link #open}; waits for the calls under way to finish. */
  void close() {
    acquire(lock.writeLock(), "pause the calls to the engine");
  }

  void open() {
    lock.writeLock().unlock();
  }

  /** Whether a recycle holds the gate (calls wait). */
  boolean isClosed() {
    return lock.isWriteLocked();
  }

  private void acquire(java.util.concurrent.locks.Lock which, String what) {
    try {
      if (!which.tryLock(maxPause.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new EngineUnavailableException(
            "Could not %s within %s: the embedded engine is being replaced"
                .formatted(what, maxPause));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException("Interrupted while waiting to " + what);
    }
  }
}
