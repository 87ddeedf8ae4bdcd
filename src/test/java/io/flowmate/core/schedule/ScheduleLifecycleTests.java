package io.flowmate.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
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
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The moves every schedule shares: which are allowed from which status, what they set, the 404s and
 * 409s.
 */
class ScheduleLifecycleTests {

  private static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");
  private static final TenantId TENANT = new TenantId(UUID.randomUUID());
  private static final TenantId OTHER = new TenantId(UUID.randomUUID());

  /** A schedule row as a module would keep it. */
  record Row(
      UUID id,
      TenantId tenantId,
      ScheduleType scheduleType,
      LocalDateTime scheduledTime,
      String cronExpression,
      ScheduleStatus status,
      Instant nextRunAt)
      implements Schedule<Row> {

    @Override
    public ZoneId zone() {
      return ZoneId.of("Europe/Berlin");
    }

    @Override
    public Row with(ScheduleStatus newStatus, Instant newNextRunAt) {
      return new Row(
          id, tenantId, scheduleType, scheduledTime, cronExpression, newStatus, newNextRunAt);
    }
  }

  private final Map<UUID, Row> table = new HashMap<>();
  private final List<Row> told = new ArrayList<>();
  private final List<String> sideEffects = new ArrayList<>();
  private final ScheduleLifecycle<Row> lifecycle =
      new ScheduleLifecycle<Row>(
          "Widget schedule",
          "widget",
          new ScheduleLifecycle.Rows<Row>() {
            @Override
            public Optional<Row> find(TenantId tenant, UUID id) {
              return Optional.ofNullable(table.get(id))
                  .filter(row -> row.tenantId().equals(tenant));
            }

            @Override
            public Optional<Row> lock(TenantId tenant, UUID id) {
              return find(tenant, id);
            }

            @Override
            public void update(Row row, Instant now) {
              table.put(row.id(), row);
            }
          },
          told::add,
          Duration.ofMinutes(5),
          new TransactionTemplate(new NoTransactions()),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void pauseResumeAndCancelMoveTheRowAndTellItsInstanceEachTime() {
    Row daily =
        store(
            ScheduleType.DAILY,
            "2026-03-01T10:00",
            ScheduleStatus.ACTIVE,
            Instant.parse("2026-03-02T09:00:00Z"));

    Row paused = lifecycle.pause(TENANT, daily.id(), row -> sideEffects.add("hold"));
    assertThat(paused.status()).isEqualTo(ScheduleStatus.PAUSED);
    assertThat(paused.nextRunAt()).isNull();

    Row resumed = lifecycle.resume(TENANT, daily.id(), row -> sideEffects.add("release"));
    assertThat(resumed.status()).isEqualTo(ScheduleStatus.ACTIVE);
    // 10:00 in Berlin, the first one from now on.
    assertThat(resumed.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));

    Row cancelled = lifecycle.cancel(TENANT, daily.id(), row -> sideEffects.add("cancel"));
    assertThat(cancelled.status()).isEqualTo(ScheduleStatus.CANCELLED);
    assertThat(cancelled.nextRunAt()).isNull();

    assertThat(sideEffects).containsExactly("hold", "release", "cancel");
    assertThat(told)
        .extracting(Row::status)
        .containsExactly(ScheduleStatus.PAUSED, ScheduleStatus.ACTIVE, ScheduleStatus.CANCELLED);
  }

  @Test
  void aOneTimeRowResumedAfterItsTimeWaitsForThatTimeSoThatItsPlannerRunsOrMissesIt() {
    Row once = store(ScheduleType.ONE_TIME, "2026-03-02T08:30", ScheduleStatus.PAUSED, null);

    assertThat(lifecycle.resume(TENANT, once.id(), row -> {}).nextRunAt())
        .isEqualTo(Instant.parse("2026-03-02T07:30:00Z"))
        .isBefore(NOW);
  }

  @Test
  void aMoveFromTheWrongStatusIsA409ThatNamesWhatIsAllowedAndChangesNothing() {
    Row paused = store(ScheduleType.DAILY, "2026-03-01T10:00", ScheduleStatus.PAUSED, null);
    Row cancelled = store(ScheduleType.DAILY, "2026-03-01T10:00", ScheduleStatus.CANCELLED, null);

    assertThatThrownBy(() -> lifecycle.pause(TENANT, paused.id(), row -> sideEffects.add("hold")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONFLICT))
        .hasMessage(
            "Widget schedule %s is paused; only an active widget can be paused", paused.id());
    assertThatThrownBy(() -> lifecycle.resume(TENANT, cancelled.id(), row -> {}))
        .hasMessage(
            "Widget schedule %s is cancelled; only a paused widget can be resumed", cancelled.id());
    assertThatThrownBy(() -> lifecycle.cancel(TENANT, cancelled.id(), row -> {}))
        .hasMessage(
            "Widget schedule %s is cancelled; only an active or paused widget can be cancelled",
            cancelled.id());
    assertThatThrownBy(() -> lifecycle.edit(TENANT, cancelled.id(), row -> row))
        .hasMessage(
            "Widget schedule %s is cancelled; only an active or paused widget can be changed",
            cancelled.id());

    assertThat(sideEffects).isEmpty();
    assertThat(told).isEmpty();
    assertThat(table.get(paused.id())).isEqualTo(paused);
  }

  @Test
  void anotherTenantsRowIsNotFound() {
    Row row =
        store(ScheduleType.DAILY, "2026-03-01T10:00", ScheduleStatus.ACTIVE, NOW.plusSeconds(60));

    assertThatThrownBy(() -> lifecycle.pause(OTHER, row.id(), r -> {}))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
    assertThatThrownBy(() ->
            lifecycle.history(
                OTHER, row.id(), new PageQuery(10, 0), (id, limit, offset) -> List.of(), id -> 0))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
    assertThat(table.get(row.id()).status()).isEqualTo(ScheduleStatus.ACTIVE);
  }

  @Test
  void anEditRecomputesTheNextRunOfAnActiveRowOnlyAndHoldsItToTheMinimumInterval() {
    ScheduleTiming everyHour =
        new ScheduleTiming(ScheduleType.CRON, ZoneId.of("UTC"), null, "0 * * * *");

    assertThat(lifecycle.nextRunAfterEdit(ScheduleStatus.ACTIVE, everyHour))
        .isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
    assertThat(lifecycle.nextRunAfterEdit(ScheduleStatus.PAUSED, everyHour)).isNull();
    ScheduleTiming everyMinute =
        new ScheduleTiming(ScheduleType.CRON, ZoneId.of("UTC"), null, "* * * * *");
    assertThatThrownBy(() -> lifecycle.nextRunAfterEdit(ScheduleStatus.PAUSED, everyMinute))
        .hasMessageContaining("the minimum interval between runs is 5 minutes");
  }

  @Test
  void historyIsPagedForTheTenantsRow() {
    Row row =
        store(ScheduleType.DAILY, "2026-03-01T10:00", ScheduleStatus.ACTIVE, NOW.plusSeconds(60));

    Page<String> page =
        lifecycle.history(
            TENANT,
            row.id(),
            new PageQuery(2, 4),
            (id, limit, offset) -> List.of(id + "@" + limit + "+" + offset),
            id -> 7);

    assertThat(page.items()).containsExactly(row.id() + "@2+4");
    assertThat(page.total()).isEqualTo(7);
  }

  private Row store(ScheduleType type, String scheduledTime, ScheduleStatus status, Instant next) {
    Row row =
        new Row(
            UUID.randomUUID(),
            TENANT,
            type,
            LocalDateTime.parse(scheduledTime),
            null,
            status,
            next);
    table.put(row.id(), row);
    return row;
  }
}
