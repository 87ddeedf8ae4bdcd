package io.flowmate.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Start, record and re-create of {@link ProcessBackedRows} against a table kept in memory. */
class ProcessBackedRowsTests {

  /** A row of the fake table: its instance key and the epoch it was claimed for. */
  record Row(UUID id, Long key, String epoch) {}

  /** Keeps rows as the SQL of {@code core.db.ProcessColumns} would. */
  static class MemoryTable implements ProcessBackedRows.Table<Row> {
    final Map<UUID, Row> rows = new LinkedHashMap<>();
    final Set<UUID> takenByOthers = new HashSet<>();

    @Override
    public UUID id(Row row) {
      return row.id();
    }

    @Override
    public Long processInstanceKey(Row row) {
      return row.key();
    }

    @Override
    public String engineEpoch(Row row) {
      return row.epoch();
    }

    @Override
    public List<Row> outside(String epoch, int limit) {
      return rows.values().stream()
          .filter(row -> !epoch.equals(row.epoch()) || row.key() == null)
          .limit(limit)
          .toList();
    }

    @Override
    public boolean claim(Row row, String epoch) {
      if (takenByOthers.contains(row.id())) {
        return false;
      }
      rows.put(row.id(), new Row(row.id(), null, epoch));
      return true;
    }

    @Override
    public void attach(UUID id, Long processInstanceKey, String epoch) {
      rows.put(id, new Row(id, processInstanceKey, epoch));
    }
  }

  final Processes processes = mock(Processes.class);
  final MemoryTable table = new MemoryTable();
  final AtomicLong keys = new AtomicLong(100);
  final List<UUID> launched = new ArrayList<>();
  final List<String> steps = new ArrayList<>();
  final Map<UUID, RuntimeException> refusals = new HashMap<>();
  ProcessBackedRows<Row> rows;

  @BeforeEach
  void setUp() {
    when(processes.epoch()).thenReturn("epoch-2");
    when(processes.exclusively(anyString(), any()))
        .thenAnswer(call -> Optional.ofNullable(call.<Supplier<?>>getArgument(1).get()));
    // "legacy-..." stands for an epoch recorded before engines had identities: maybe this engine.
    when(processes.cancelIfAlive(anyLong(), anyString()))
        .thenAnswer(call ->
            call.<String>getArgument(1).startsWith("legacy-")
                && steps.add("cancel " + call.getArgument(0)));
    when(processes.whenEngineAvailable(any()))
        .thenAnswer(call -> call.getArgument(0, Supplier.class).get());
    rows =
        new ProcessBackedRows<>(
            processes,
            "thing",
            table,
            row -> {
              if (refusals.containsKey(row.id())) {
                throw refusals.get(row.id());
              }
              launched.add(row.id());
              steps.add("launch " + row.id());
              return new Processes.StartedInstance(keys.incrementAndGet(), 1, 1, "epoch-2");
            });
  }

  private Row add(Long key, String epoch) {
    Row row = new Row(UUID.randomUUID(), key, epoch);
    table.rows.put(row.id(), row);
    return row;
  }

  @Test
  void aStartRecordsTheInstanceAndItsEpoch() {
    Row row = add(null, "epoch-2");

    assertThat(rows.start(row)).isTrue();

    assertThat(table.rows.get(row.id())).isEqualTo(new Row(row.id(), 101L, "epoch-2"));
    assertThat(rows.epoch()).isEqualTo("epoch-2");
  }

  @Test
  void aRefusedStartLeavesTheRowWithoutInstanceForTheNextRun() {
    Row row = add(null, "epoch-2");
    refusals.put(row.id(), new IllegalStateException("engine unreachable"));

    assertThat(rows.start(row)).isFalse();
    assertThat(table.rows.get(row.id())).isEqualTo(new Row(row.id(), null, null));

    refusals.clear();
    assertThat(rows.reconcile()).isEqualTo(1);
    assertThat(table.rows.get(row.id()).key()).isNotNull();
  }

  @Test
  void reconcilingRecreatesOnlyRowsOutsideTheEpoch() {
    Row current = add(7L, "epoch-2");
    Row lost = add(8L, "epoch-1");
    Row neverStarted = add(null, "epoch-2");

    assertThat(rows.recreate()).isEqualTo(2);

    assertThat(launched).containsExactlyInAnyOrder(lost.id(), neverStarted.id());
    assertThat(table.rows.get(current.id())).isEqualTo(current);
    assertThat(table.rows.get(lost.id()).epoch()).isEqualTo("epoch-2");
    assertThat(rows.reconcile()).isZero();
  }

  @Test
  void aRowAnotherNodeClaimedIsNotStartedHere() {
    Row row = add(8L, "epoch-1");
    table.takenByOthers.add(row.id());

    assertThat(rows.reconcile()).isZero();
    assertThat(launched).isEmpty();
  }

  @Test
  void reconcilingPagesThroughManyRows() {
    for (int i = 0; i < 250; i++) {
      add(null, "epoch-1");
    }

    assertThat(rows.reconcile()).isEqualTo(250);
    assertThat(table.outside("epoch-2", 1000)).isEmpty();
  }

  @Test
  void aRefusingEngineStopsTheRunInsteadOfLoopingOnTheSameRows() {
    for (int i = 0; i < 150; i++) {
      Row row = add(null, "epoch-1");
      if (i == 0) {
        refusals.put(row.id(), new IllegalStateException("engine unreachable"));
      }
    }

    assertThat(rows.reconcile()).isEqualTo(99);
    assertThat(launched).hasSize(99);
  }

  @Test
  void anInstanceThatMayStillBeAliveOnThisEngineIsCancelledBeforeItsRowIsStartedAgain() {
    Row row = add(8L, "legacy-remote");

    assertThat(rows.reconcile()).isEqualTo(1);

    assertThat(steps).containsExactly("cancel 8", "launch " + row.id());
    assertThat(table.rows.get(row.id())).isEqualTo(new Row(row.id(), 101L, "epoch-2"));
  }

  @Test
  void anInstanceOfAnotherEngineIsNeverCancelled() {
    Row row = add(8L, "epoch-1");

    assertThat(rows.reconcile()).isEqualTo(1);

    assertThat(steps).noneMatch(step -> step.startsWith("cancel"));
    assertThat(launched).containsExactly(row.id());
  }

  @Test
  void aRowWhoseOldInstanceCannotBeCancelledNowKeepsItsKeyForTheNextRun() {
    Row row = add(8L, "legacy-remote");
    when(processes.cancelIfAlive(8L, "legacy-remote"))
        .thenThrow(new IllegalStateException("engine unreachable"));

    assertThat(rows.reconcile()).isZero();

    assertThat(launched).isEmpty();
    assertThat(table.rows.get(row.id())).isEqualTo(row);
  }

  @Test
  void whileAnotherFlowmateInstanceReconcilesThisOneStartsNothing() {
    add(8L, "epoch-1");
    doReturn(Optional.empty()).when(processes).exclusively(anyString(), any());

    assertThat(rows.reconcile()).isZero();
    assertThat(launched).isEmpty();
  }

  @Test
  void aRowInsertedJustBeforeARecycleIsClaimedForTheNewEpochAndStartedOnce() {
    Row insertedForOldEngine = add(null, "epoch-1");

    assertThat(rows.start(insertedForOldEngine)).isTrue();

    assertThat(launched).containsExactly(insertedForOldEngine.id());
    assertThat(table.rows.get(insertedForOldEngine.id()))
        .isEqualTo(new Row(insertedForOldEngine.id(), 101L, "epoch-2"));
    assertThat(rows.reconcile()).isZero();
    assertThat(launched).hasSize(1);
  }

  @Test
  void aStartThatLostTheRowToTheRecreationAfterARecycleStartsNothing() {
    Row insertedForOldEngine = add(null, "epoch-1");
    table.takenByOthers.add(insertedForOldEngine.id());

    assertThat(rows.start(insertedForOldEngine)).isTrue();

    assertThat(launched).isEmpty();
  }
}
