package io.flowmate.outreach.schedule;

import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.ProcessBackedRows;
import io.flowmate.workflow.Processes;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives every active or paused schedule a live {@code outreach-scheduled-message} instance: when it
 * is created, and again after the engine lost its instances (a restart of the embedded engine). The
 * new instance starts from the beginning and reads the schedule, so an occurrence that fell due
 * while Flowmate was down is sent late or recorded as missed (see {@link
 * ScheduledOccurrences#plan}). Also tells instances that their schedule changed.
 */
@Component
class ScheduledMessageProcessStarter {

  private static final Logger log = LoggerFactory.getLogger(ScheduledMessageProcessStarter.class);

  /**
   * How long a change signal waits for its instance to listen (it may be busy sending). Missing it
   * is harmless: the instance reads the schedule after every send anyway.
   */
  static final Duration SIGNAL_BUFFER = Duration.ofMinutes(1);

  private final Processes processes;
  private final ProcessBackedRows<ScheduledMessage> rows;

  ScheduledMessageProcessStarter(Processes processes, ScheduledMessageRepository schedules) {
    this.processes = processes;
    this.rows =
        new ProcessBackedRows<>(
            processes,
            "schedule",
            ProcessBackedRows.Table.of(
                ScheduledMessage::id,
                ScheduledMessage::processInstanceKey,
                ScheduledMessage::engineEpoch,
                schedules::liveOutside,
                schedules::claimForEpoch,
                schedules::attachProcess),
            this::launch);
  }

  String epoch() {
    return rows.epoch();
  }

  /**
   * Starts the instance for a schedule already claimed for the current epoch.
   *
   * @return false if the engine could not be reached (the next reconciliation tries again)
   */
  boolean startFor(ScheduledMessage schedule) {
    return rows.start(schedule);
  }

  private Processes.StartedInstance launch(ScheduledMessage schedule) {
    return processes.start(
        ScheduledMessageProcess.PROCESS_ID,
        Map.of(
            ScheduledMessageProcess.TENANT_ID, schedule.tenantId().toString(),
            ScheduledMessageProcess.SCHEDULE_ID, schedule.id().toString()));
  }

  /**
   * Wakes the schedule's instance to read the schedule again. If the engine cannot be reached the
   * change still holds: PostgreSQL is the source of truth, and the instance checks the schedule
   * before every send.
   */
  void signalChanged(ScheduledMessage schedule) {
    try {
      processes.publishMessage(
          ScheduledMessageProcess.CHANGED_MESSAGE,
          schedule.id().toString(),
          Map.of(),
          SIGNAL_BUFFER);
    } catch (RuntimeException e) {
      log.warn(
          "Could not tell the process of schedule {} about a change: {}",
          schedule.id(),
          e.getMessage());
    }
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    rows.recreate();
  }

  /** Catches up with starts that failed (engine briefly unreachable). */
  @Scheduled(
      fixedDelayString = "${flowmate.outreach.reconcile-interval:1m}",
      initialDelayString = "${flowmate.outreach.reconcile-interval:1m}")
  int reconcile() {
    return rows.reconcile();
  }
}
