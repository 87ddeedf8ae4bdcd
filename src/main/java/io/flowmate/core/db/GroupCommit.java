package io.flowmate.core.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes items handed over by many threads in shared transactions, each caller waiting until its
 * own item is committed. Under load, items that arrive while a transaction runs go into the next
 * one together, so the database sees one commit for many items instead of one each; a lone item is
 * written at once. If a shared transaction fails, its items are written again one per transaction,
 * so one bad item fails only its own caller.
 *
 * <p>Items go to lanes (one writer thread each) by a key: items with the same key are written in
 * the order they were handed over. A lane holds only items whose caller still waits: one that gave
 * up (timed out, its caller told to retry) is dropped, so a stalled database cannot make the lanes
 * grow with every retry of the same item.
 *
 * @param <T> what is written
 */
public final class GroupCommit<T> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  private final String name;
  private final List<BlockingQueue<Pending<T>>> lanes = new ArrayList<>();
  private final List<Thread> writers = new ArrayList<>();
  private final int maxBatch;
  private final Duration maxWait;
  private final TransactionTemplate transaction;
  private final Consumer<List<T>> write;
  private final ToIntFunction<T> key;
  private volatile boolean closed;

  private record Pending<T>(T item, CompletableFuture<Void> done) {}

  /**
   * @param name for thread names and logs
   * @param laneCount writer threads (each holds one connection while it writes)
   * @param maxBatch most items in one transaction
   * @param maxWait longest a caller waits before {@link #write} gives up
   * @param write writes items (in the order given) inside the current transaction
   * @param key items with equal keys keep their order
   */
  public GroupCommit(
      String name,
      int laneCount,
      int maxBatch,
      Duration maxWait,
      TransactionTemplate transaction,
      Consumer<List<T>> write,
      ToIntFunction<T> key) {
    this.name = name;
    this.maxBatch = maxBatch;
    this.maxWait = maxWait;
    this.transaction = transaction;
    this.write = write;
    this.key = key;
    for (int i = 0; i < laneCount; i++) {
      BlockingQueue<Pending<T>> lane = new LinkedBlockingQueue<>();
      lanes.add(lane);
      Thread writer = new Thread(() -> drain(lane), name + "-writer-" + (i + 1));
      writer.setDaemon(true);
      writers.add(writer);
      writer.start();
    }
  }

  /**
   * Writes the item and returns once it is committed.
   *
   * @throws WriteFailed if it could not be written (the cause says why) or not within the wait
   */
  public void write(T item) {
    if (closed) {
      throw new WriteFailed(name + " is shutting down", null);
    }
    Pending<T> pending = new Pending<>(item, new CompletableFuture<>());
    lanes.get(Math.floorMod(key.applyAsInt(item), lanes.size())).add(pending);
    try {
      pending.done().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new WriteFailed("writing failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      if (pending.done().completeExceptionally(e)) {
        throw new WriteFailed("not written within " + maxWait, e);
      }
      awaitWritten(pending);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.done().completeExceptionally(e);
      throw new WriteFailed("interrupted while waiting for the write", e);
    }
  }

  /** The write finished just as the caller gave up: its outcome stands. */
  private void awaitWritten(Pending<T> pending) {
    try {
      pending.done().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new WriteFailed("writing failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private void drain(BlockingQueue<Pending<T>> lane) {
    List<Pending<T>> batch = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        batch.add(lane.take());
      } catch (InterruptedException e) {
        return;
      }
      lane.drainTo(batch, maxBatch - 1);
      writeBatch(batch);
      batch.clear();
    }
  }

  private void writeBatch(List<Pending<T>> waiting) {
    // Items whose caller gave up are not written: the caller answered "retry" and may be retrying.
    List<Pending<T>> batch = waiting.stream().filter(pending -> !pending.done().isDone()).toList();
    if (batch.isEmpty()) {
      return;
    }
    try {
      List<T> items = batch.stream().map(Pending::item).toList();
      transaction.executeWithoutResult(status -> write.accept(items));
      batch.forEach(pending -> pending.done().complete(null));
    } catch (RuntimeException batchFailed) {
      if (batch.size() == 1) {
        batch.getFirst().done().completeExceptionally(batchFailed);
        return;
      }
      log.debug(
          "{}: a shared transaction of {} failed; writing them one by one",
          name,
          batch.size(),
          batchFailed);
      for (Pending<T> pending : batch) {
        try {
          transaction.executeWithoutResult(status -> write.accept(List.of(pending.item())));
          pending.done().complete(null);
        } catch (RuntimeException failed) {
          pending.done().completeExceptionally(failed);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    writers.forEach(Thread::interrupt);
    for (BlockingQueue<Pending<T>> lane : lanes) {
      for (Pending<T> left = lane.poll(); left != null; left = lane.poll()) {
        left.done()
            .completeExceptionally(new IllegalStateException(name + " shut down before writing"));
      }
    }
  }

  /** An item that was not committed. */
  public static final class WriteFailed extends RuntimeException {
    WriteFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
