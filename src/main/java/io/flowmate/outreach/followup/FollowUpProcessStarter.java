package io.flowmate.outreach.followup;

import io.flowmate.workflow.EngineReady;
import io.flowmate.workflow.ProcessBackedRows;
import io.flowmate.workflow.Processes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives every waiting follow-up a live {@code outreach-follow-up} instance: when it starts, and
 * again after the engine lost its instances (a restart of the embedded engine). A re-created
 * instance waits only what is left until the follow-up's {@code due_at}, continues with the rounds
 * not sent yet, stops at once if the contact replied meanwhile, and completes if the last round was
 * already sent.
 */
@Component
class FollowUpProcessStarter {

  /** The engine's timers have second precision; a due time already past fires after this. */
  private static final Duration SHORTEST_WAIT = Duration.ofSeconds(1);

  private final Processes processes;
  private final FollowUps steps;
  private final Clock clock;
  private final ProcessBackedRows<FollowUp> rows;

  FollowUpProcessStarter(
      Processes processes, FollowUpRepository followUps, FollowUps steps, Clock clock) {
    this.processes = processes;
    this.steps = steps;
    this.clock = clock;
    this.rows =
        new ProcessBackedRows<>(
            processes,
            "follow-up",
            ProcessBackedRows.Table.of(
                FollowUp::id,
                FollowUp::processInstanceKey,
                FollowUp::engineEpoch,
                followUps::waitingOutside,
                followUps::claimForEpoch,
                followUps::attachProcess),
            this::launch);
  }

  String epoch() {
    return rows.epoch();
  }

  /**
   * Starts the instance of a follow-up already claimed for the current epoch; false if the engine
   * refused (the follow-up is left for {@link #reconcile}).
   */
  boolean startFor(FollowUp followUp) {
    return rows.start(followUp);
  }

  @EventListener
  void onEngineReady(EngineReady ready) {
    rows.recreate();
  }

  /** Catches up with starts that failed (engine briefly unreachable) and lost instances. */
  @Scheduled(
      fixedDelayString = "${flowmate.outreach.reconcile-interval:1m}",
      initialDelayString = "${flowmate.outreach.reconcile-interval:1m}")
  int reconcile() {
    return rows.reconcile();
  }

  private Processes.StartedInstance launch(FollowUp followUp) {
    Map<String, Object> variables = variables(followUp);
    if (followUp.round() >= followUp.maxRounds()) {
      return processes.startBefore(
          FollowUpProcess.PROCESS_ID, FollowUpProcess.COMPLETE_TASK, variables);
    } else if (steps.hasReplied(followUp)) {
      return processes.startBefore(
          FollowUpProcess.PROCESS_ID, FollowUpProcess.STOP_TASK, variables);
    }
    return processes.start(FollowUpProcess.PROCESS_ID, variables);
  }

  private Map<String, Object> variables(FollowUp followUp) {
    Duration left =
        followUp.dueAt() == null
            ? SHORTEST_WAIT
            : Duration.between(clock.instant(), followUp.dueAt());
    Duration wait = Duration.ofSeconds(Math.max(SHORTEST_WAIT.toSeconds(), left.toSeconds()));
    Map<String, Object> variables = new HashMap<>();
    variables.put(FollowUpProcess.TENANT_ID, followUp.tenantId().toString());
    variables.put(FollowUpProcess.FOLLOW_UP_ID, followUp.id().toString());
    variables.put(FollowUpProcess.ROUND, followUp.round());
    variables.put(FollowUpProcess.MAX_ROUNDS, followUp.maxRounds());
    variables.put(FollowUpProcess.WAIT_DURATION, wait.toString());
    return variables;
  }
}
