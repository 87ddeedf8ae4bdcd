package io.flowmate.core.schedule;

import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lifecycle every schedule shares: {@code active} ⇄ {@code paused}, then {@code cancelled}; an
 * edit keeps the status. Each move is checked against the row as it stands under its row lock (an
 * illegal one is a 409), stored in PostgreSQL, the source of truth, and then told to the row's
 * process instance so that it reads the row again. Each module keeps its own table behind {@link
 * Rows}.
 *
 * @param <T> the module's schedule row
 */
public final class ScheduleLifecycle<T extends Schedule<T>> {

  /** The moves a client can ask for, with the statuses each is allowed from. */
  public enum Move {
    EDIT(Set.of(ScheduleStatus.ACTIVE, ScheduleStatus.PAUSED), "an active or paused", "changed"),
    PAUSE(Set.of(ScheduleStatus.ACTIVE), "an active", "paused"),
    RESUME(Set.of(ScheduleStatus.PAUSED), "a paused", "resumed"),
    CANCEL(
        Set.of(ScheduleStatus.ACTIVE, ScheduleStatus.PAUSED), "an active or paused", "cancelled");

    private final Set<ScheduleStatus> from;
    private final String allowed;
    private final String verb;

    Move(Set<ScheduleStatus> from, String allowed, String verb) {
      this.from = from;
      this.allowed = allowed;
      this.verb = verb;
    }

    public boolean allowedFrom(ScheduleStatus status) {
      return from.contains(status);
    }
  }

  /** The module's table of schedule rows. */
  public interface Rows<T> {
    Optional<T> find(TenantId tenant, UUID id);

    /** The row, locked until the transaction ends. */
    Optional<T> lock(TenantId tenant, UUID id);

    void update(T row, Instant now);

    /** The rows from their repository's three calls. */
    static <T> Rows<T> of(Lookup<T> find, Lookup<T> lock, Update<T> update) {
      return new Rows<>() {
        @Override
        public Optional<T> find(TenantId tenant, UUID id) {
          return find.find(tenant, id);
        }

        @Override
        public Optional<T> lock(TenantId tenant, UUID id) {
          return lock.find(tenant, id);
        }

        @Override
        public void update(T row, Instant now) {
          update.update(row, now);
        }
      };
    }
  }

  /** A tenant's row by id (see {@link Rows}). */
  @FunctionalInterface
  public interface Lookup<T> {
    Optional<T> find(TenantId tenant, UUID id);
  }

  /** Writes an edited row (see {@link Rows}). */
  @FunctionalInterface
  public interface Update<T> {
    void update(T row, Instant now);
  }

  /** One page of a row's history (runs, occurrences), newest first. */
  @FunctionalInterface
  public interface HistoryPage<H> {
    List<H> page(UUID scheduleId, int limit, int offset);
  }

  private final String noun;
  private final String shortNoun;
  private final Rows<T> rows;
  private final Consumer<T> changed;
  private final Duration minimumInterval;
  private final TransactionTemplate transaction;
  private final Clock clock;

  /**
   * @param noun what a row is in a 404 or 409: "Scheduled message", "Report"
   * @param shortNoun the same in the middle of a sentence: "schedule", "report"
   * @param changed tells the row's process instance that the row changed
   * @param minimumInterval an edited recurrence may not fire more often
   */
  public ScheduleLifecycle(
      String noun,
      String shortNoun,
      Rows<T> rows,
      Consumer<T> changed,
      Duration minimumInterval,
      TransactionTemplate transaction,
      Clock clock) {
    this.noun = noun;
    this.shortNoun = shortNoun;
    this.rows = rows;
    this.changed = changed;
    this.minimumInterval = minimumInterval;
    this.transaction = transaction;
    this.clock = clock;
  }

  /** The tenant's row; 404 for an unknown id or another tenant's row. */
  public T get(TenantId tenant, UUID id) {
    return rows.find(tenant, id).orElseThrow(() -> ApiException.notFound(noun, id));
  }

  /** A page of the row's history; 404 as {@link #get}. */
  public <H> Page<H> history(
      TenantId tenant,
      UUID id,
      PageQuery page,
      HistoryPage<H> history,
      ToLongFunction<UUID> count) {
    T row = get(tenant, id);
    return Page.of(
        history.page(row.id(), page.limit(), page.offset()), count.applyAsLong(row.id()), page);
  }

  /**
   * Applies an edit of an active or paused row: an active row's next run is recomputed from now.
   *
   * @param edit the row with its new fields, given the next run {@link #nextRunAfterEdit} says
   */
  public T edit(TenantId tenant, UUID id, UnaryOperator<T> edit) {
    return change(tenant, id, Move.EDIT, edit);
  }

  /**
   * An edited row's next run: the first occurrence of its new timing from now on if it is active,
   * else none. The timing is validated either way.
   */
  public Instant nextRunAfterEdit(ScheduleStatus status, ScheduleTiming timing) {
    Recurrence recurrence = timing.recurrence(minimumInterval, clock.instant());
    return status == ScheduleStatus.ACTIVE ? recurrence.firstAfter(clock.instant()) : null;
  }

  /** Pauses: no occurrence runs until resumed. {@code also} runs in the same transaction. */
  public T pause(TenantId tenant, UUID id, Consumer<T> also) {
    return change(
        tenant,
        id,
        Move.PAUSE,
        row -> {
          also.accept(row);
          return row.with(ScheduleStatus.PAUSED, null);
        });
  }

  /**
   * Resumes with the next occurrence from now on: the ones that passed while paused are skipped. A
   * one-time row whose time passed meanwhile waits for that time, so that its planner runs it late
   * within the grace period or records it as missed. {@code also} runs in the same transaction.
   */
  public T resume(TenantId tenant, UUID id, Consumer<T> also) {
    return change(
        tenant,
        id,
        Move.RESUME,
        row -> {
          also.accept(row);
          Instant next =
              row.scheduleType() == ScheduleType.ONE_TIME
                  ? row.scheduledTime().atZone(row.zone()).toInstant()
                  : row.recurrence().firstAfter(clock.instant());
          return row.with(ScheduleStatus.ACTIVE, next);
        });
  }

  /** Cancels for good; the history stays. {@code also} runs in the same transaction. */
  public T cancel(TenantId tenant, UUID id, Consumer<T> also) {
    return change(
        tenant,
        id,
        Move.CANCEL,
        row -> {
          also.accept(row);
          return row.with(ScheduleStatus.CANCELLED, null);
        });
  }

  /**
   * Edits the row under its lock if {@code move} is allowed from its status, then tells its
   * instance.
   */
  private T change(TenantId tenant, UUID id, Move move, UnaryOperator<T> edit) {
    get(tenant, id);
    T changedRow =
        transaction.execute(status -> {
          T current = rows.lock(tenant, id).orElseThrow(() -> ApiException.notFound(noun, id));
          if (!move.allowedFrom(current.status())) {
            throw ApiException.conflict(
                "%s %s is %s; only %s %s can be %s"
                    .formatted(
                        noun, id, current.status().value(), move.allowed, shortNoun, move.verb));
          }
          T edited = edit.apply(current);
          rows.update(edited, clock.instant());
          return edited;
        });
    changed.accept(changedRow);
    return get(tenant, id);
  }
}
