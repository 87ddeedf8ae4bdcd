package io.flowmate.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** Shared-transaction writes: what a caller that gave up leaves behind. */
class GroupCommitTests {

  private final List<String> written = new CopyOnWriteArrayList<>();
  private final CountDownLatch stalled = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final GroupCommit<String> commit =
      new GroupCommit<>(
          "test",
          1,
          10,
          Duration.ofMillis(300),
          new TransactionTemplate(new NoTransactions()),
          this::write,
          String::hashCode);

  @AfterEach
  void close() {
    release.countDown();
    commit.close();
  }

  /**
   * A stalled database does not make the writer replay, later, items whose caller already gave up.
   */
  @Test
  void anItemWhoseCallerGaveUpIsNotWrittenLater() throws Exception {
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> commit.write("stalls"));
    assertThat(stalled.await(5, TimeUnit.SECONDS)).isTrue();

    // Queued behind the stalled write, the caller gives up (and its client is told to retry).
    assertThatThrownBy(() -> commit.write("given up"))
        .isInstanceOf(GroupCommit.WriteFailed.class)
        .hasMessageContaining("not written within");
    release.countDown();
    // The stalled write's own caller gave up too; the write itself still completes.
    first.handle((done, failed) -> null).get(5, TimeUnit.SECONDS);
    commit.write("next");

    assertThat(written).containsExactly("stalls", "next");
  }

  private void write(List<String> items) {
    if (items.contains("stalls")) {
      stalled.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    written.addAll(items);
  }

  /** Transactions that do nothing: the test is about the lanes, not the database. */
  private static final class NoTransactions extends AbstractPlatformTransactionManager {
    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {}

    @Override
    protected void doCommit(DefaultTransactionStatus status) {}

    @Override
    protected void doRollback(DefaultTransactionStatus status) {}
  }
}
