package io.flowmate.core.schedule;

import io.flowmate.core.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The planning step every scheduled process shares (scheduled messages, scheduled reports): which
 * occurrence its instance waits for next, always from the row as PostgreSQL has it now. Normally
 * the row's {@code next_run_at}, in the future. When that has passed (Flowmate was down when it was
 * due, or the job waited), an occurrence within {@code missed-grace} is carried out now, once, even
 * if several fell due (the latest); older ones are recorded as missed and the row moves on to its
 * next occurrence (a one-time row completes). Each module keeps its own table behind {@link Rows}.
 *
 * <p>Every step first checks that the row is the job's tenant's ({@link #plan}, {@link #due}): a
 * job whose variables name another tenant's row, or an occurrence not yet due, is refused.
 *
 * @param <T> the module's schedule row
 */
public final class OccurrencePlanner<T extends OccurrencePlanner.Scheduled> {

  private static final Logger log = LoggerFactory.getLogger(OccurrencePlanner.class);

  /** Plan state: active, the timer waits for {@link Plan#nextRunAt()}. */
  public static final String WAITING = "waiting";

  /** Plan state: paused, the instance waits for a change. */
  public static final String PAUSED = "paused";

  /** Plan state: cancelled, completed or deleted; the instance ends. */
  public static final String FINISHED = "finished";

  /** How far the engine's clock may run ahead of Flowmate's (a remote cluster's host). */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  /** At most this many missed occurrences are recorded one by one after a long downtime. */
  static final int MISSED_RECORDED = 100;

  /** What the planner reads of a schedule row. */
  public interface Scheduled {
    TenantId tenantId();

    ScheduleStatus status();

    Instant nextRunAt();

    Recurrence recurrence();
  }

  /** The module's table of schedule rows. */
  public interface Rows<T> {
    Optional<T> find(UUID id);

    /**
     * Moves an active row from {@code due} to {@code next}; false if it no longer waited for {@code
     * due}.
     */
    boolean advance(UUID id, Instant due, Instant next, boolean ran, Instant now);

    void recordMissed(T row, List<Instant> missed, String reason, Instant now);
  }

  /**
   * What the instance does next.
   *
   * @param state {@link #WAITING}, {@link #PAUSED} or {@link #FINISHED}
   * @param nextRunAt the occurrence to wait for, when waiting
   */
  public record Plan(String state, Instant nextRunAt) {}

  /**
   * An occurrence to carry out now; once done, the row moves on with {@link Rows#advance}{@code
   * (row.id(), occurrence, next, true, now)}.
   *
   * @param next the occurrence after it, or null if none is left
   */
  public record Due<T>(T row, Instant occurrence, Instant next, Instant now) {}

  private final String kind;
  private final Rows<T> rows;
  private final Duration missedGrace;
  private final String missedReason;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final Function<String, ? extends RuntimeException> refusal;

  /**
   * @param kind what a row is, for the log ("Schedule", "Report")
   * @param missedReason what a missed occurrence's record says
   * @param refusal the error that refuses a job, given why (the workflow's forged-job error)
   */
  public OccurrencePlanner(
      String kind,
      Rows<T> rows,
      Duration missedGrace,
      String missedReason,
      TransactionTemplate transaction,
      Clock clock,
      Function<String, ? extends RuntimeException> refusal) {
    this.kind = kind;
    this.rows = rows;
    this.missedGrace = missedGrace;
    this.missedReason = missedReason;
    this.transaction = transaction;
    this.clock = clock;
    this.refusal = refusal;
  }

  /** The occurrence the row's instance waits for next, or that it pauses or ends. */
  public Plan plan(TenantId tenant, UUID id) {
    owned(tenant, id);
    // Only an edit committed between reading and writing makes this go round again.
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<T> found = rows.find(id);
      if (found.isEmpty()) {
        return new Plan(FINISHED, null);
      }
      T row = found.get();
      if (row.status() == ScheduleStatus.PAUSED) {
        return new Plan(PAUSED, null);
      }
      if (row.status().isFinished()) {
        return new Plan(FINISHED, null);
      }
      Instant now = clock.instant();
      Instant due = row.nextRunAt();
      if (due.isAfter(now)) {
        return new Plan(WAITING, due);
      }
      Recurrence.CatchUp catchUp = row.recurrence().catchUp(due, now, missedGrace, MISSED_RECORDED);
      if (catchUp.missed().isEmpty() && due.equals(catchUp.next())) {
        return new Plan(
            WAITING,
            due); // due right now, or late within the grace period: the timer fires at once
      }
      boolean moved =
          Boolean.TRUE.equals(
              transaction.execute(status -> {
                if (!rows.advance(id, due, catchUp.next(), false, now)) {
                  return false;
                }
                rows.recordMissed(row, catchUp.missed(), missedReason, now);
                return true;
              }));
      if (moved) {
        log.info(
            "{} {}: {} occurrence(s) missed while Flowmate was not running; next {}",
            kind,
            id,
            catchUp.missed().size(),
            catchUp.next() == null ? "none (completed)" : catchUp.next());
        return catchUp.next() == null
            ? new Plan(FINISHED, null)
            : new Plan(WAITING, catchUp.next());
      }
    }
    throw new IllegalStateException(
        kind + " " + id + " kept changing while its next occurrence was planned");
  }

  /**
   * The occurrence the timer fired for, if the row still waits for it; empty if it does not
   * (paused, cancelled, deleted or re-timed meanwhile: its instance is about to hear of it), or if
   * it is past the grace period (then it is recorded as missed and the row moves on).
   */
  public Optional<Due<T>> due(TenantId tenant, UUID id, Instant occurrence) {
    Optional<T> found = owned(tenant, id);
    if (found.isEmpty()
        || found.get().status() != ScheduleStatus.ACTIVE
        || !occurrence.equals(found.get().nextRunAt())) {
      log.debug("{} {} no longer waits for {}; nothing carried out", kind, id, occurrence);
      return Optional.empty();
    }
    T row = found.get();
    Instant now = clock.instant();
    if (occurrence.isAfter(now.plus(CLOCK_SKEW))) {
      // Only its timer leads here, never early: an instance started at this step with forged
      // variables would send ahead of time.
      throw refusal.apply("%s %s is not due before %s".formatted(noun(), id, occurrence));
    }
    Instant next = row.recurrence().next(occurrence).orElse(null);
    if (now.isAfter(occurrence.plus(missedGrace))) {
      transaction.executeWithoutResult(status -> {
        if (rows.advance(id, occurrence, next, false, now)) {
          rows.recordMissed(row, List.of(occurrence), missedReason, now);
        }
      });
      return Optional.empty();
    }
    return Optional.of(new Due<>(row, occurrence, next, now));
  }

  /** The row, after refusing a job that names another tenant's. */
  private Optional<T> owned(TenantId tenant, UUID id) {
    Optional<T> found = rows.find(id);
    if (found.isPresent() && !found.get().tenantId().equals(tenant)) {
      throw refusal.apply("%s %s is not of tenant %s".formatted(noun(), id, tenant));
    }
    return found;
  }

  private String noun() {
    return kind.toLowerCase(Locale.ROOT);
  }

  /** A duration as a person reads it in a reason: {@code 1h}, {@code 30m}. */
  public static String describe(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
