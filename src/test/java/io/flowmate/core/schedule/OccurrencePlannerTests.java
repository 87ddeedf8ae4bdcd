package io.flowmate.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.core.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Whether an occurrence that fired is still due, and the job's tenant's, the same for every kind of
 * schedule.
 */
class OccurrencePlannerTests {

  private static final Instant NOW = Instant.parse("2026-03-02T09:00:30Z");
  private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");
  private static final TenantId TENANT = new TenantId(UUID.randomUUID());

  /** A daily 10:00 (Berlin) row. */
  record Row(UUID id, TenantId tenantId, ScheduleStatus status, Instant nextRunAt)
      implements OccurrencePlanner.Scheduled {
    @Override
    public Recurrence recurrence() {
      return Recurrence.of(
          ScheduleType.DAILY,
          ZoneId.of("Europe/Berlin"),
          LocalDateTime.parse("2026-03-01T10:00"),
          null);
    }
  }

  /** What the refusal function makes: the workflow's forged-job error in production. */
  static final class Refused extends RuntimeException {
    Refused(String why) {
      super(why);
    }
  }

  private final Map<UUID, Row> table = new HashMap<>();
  private final List<String> written = new ArrayList<>();
  private final OccurrencePlanner<Row> planner =
      new OccurrencePlanner<Row>(
          "Widget",
          new OccurrencePlanner.Rows<Row>() {
            @Override
            public Optional<Row> find(UUID id) {
              return Optional.ofNullable(table.get(id));
            }

            @Override
            public boolean advance(UUID id, Instant due, Instant next, boolean ran, Instant now) {
              written.add("advance " + due + " -> " + next + (ran ? " ran" : " missed"));
              return true;
            }

            @Override
            public void recordMissed(Row row, List<Instant> missed, String reason, Instant now) {
              written.add("missed " + missed + ": " + reason);
            }
          },
          Duration.ofMinutes(10),
          "too late",
          new TransactionTemplate(new NoTransactions()),
          Clock.fixed(NOW, ZoneOffset.UTC),
          Refused::new);

  @Test
  void theOccurrenceTheRowWaitsForIsDueWithTheOneAfterIt() {
    Row row = store(TENANT, ScheduleStatus.ACTIVE, NINE);

    assertThat(planner.due(TENANT, row.id(), NINE))
        .contains(
            new OccurrencePlanner.Due<>(row, NINE, Instant.parse("2026-03-03T09:00:00Z"), NOW));
    assertThat(written).isEmpty();
  }

  @Test
  void anOccurrenceTheRowNoLongerWaitsForIsNotDue() {
    Row paused = store(TENANT, ScheduleStatus.PAUSED, null);
    Row retimed = store(TENANT, ScheduleStatus.ACTIVE, NINE.plus(Duration.ofHours(1)));

    assertThat(planner.due(TENANT, paused.id(), NINE)).isEmpty();
    assertThat(planner.due(TENANT, retimed.id(), NINE)).isEmpty();
    assertThat(planner.due(TENANT, UUID.randomUUID(), NINE)).isEmpty();
    assertThat(written).isEmpty();
  }

  @Test
  void anotherTenantsRowIsRefusedForEveryStep() {
    Row row = store(new TenantId(UUID.randomUUID()), ScheduleStatus.ACTIVE, NINE);

    assertThatThrownBy(() -> planner.due(TENANT, row.id(), NINE))
        .isInstanceOf(Refused.class)
        .hasMessage("widget %s is not of tenant %s", row.id(), TENANT);
    assertThatThrownBy(() -> planner.plan(TENANT, row.id())).isInstanceOf(Refused.class);
    assertThat(written).isEmpty();
  }

  @Test
  void anOccurrenceAheadOfTheClockBeyondTheSkewIsRefused() {
    Instant tomorrow = Instant.parse("2026-03-03T09:00:00Z");
    Row row = store(TENANT, ScheduleStatus.ACTIVE, tomorrow);

    assertThatThrownBy(() -> planner.due(TENANT, row.id(), tomorrow))
        .isInstanceOf(Refused.class)
        .hasMessage("widget %s is not due before %s", row.id(), tomorrow);
    Instant withinSkew = NOW.plus(OccurrencePlanner.CLOCK_SKEW);
    assertThat(
            planner.due(TENANT, store(TENANT, ScheduleStatus.ACTIVE, withinSkew).id(), withinSkew))
        .isPresent();
  }

  @Test
  void anOccurrencePastTheGracePeriodIsRecordedAsMissedAndTheRowMovesOn() {
    Instant yesterday = Instant.parse("2026-03-01T09:00:00Z");
    Row row = store(TENANT, ScheduleStatus.ACTIVE, yesterday);

    assertThat(planner.due(TENANT, row.id(), yesterday)).isEmpty();
    assertThat(written)
        .containsExactly(
            "advance 2026-03-01T09:00:00Z -> 2026-03-02T09:00:00Z missed",
            "missed [2026-03-01T09:00:00Z]: too late");
  }

  private Row store(TenantId tenant, ScheduleStatus status, Instant next) {
    Row row = new Row(UUID.randomUUID(), tenant, status, next);
    table.put(row.id(), row);
    return row;
  }
}
