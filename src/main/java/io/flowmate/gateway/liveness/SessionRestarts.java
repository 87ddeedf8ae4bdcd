package io.flowmate.gateway.liveness;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** The restart history of sessions, for the session API (tenant checks are the caller's). */
@Service
public class SessionRestarts {

  /**
   * One restart by the liveness watchdog.
   *
   * @param cause {@code silent}, {@code probe_failed} or {@code not_working}
   * @param outcome {@code awaiting_activity}, {@code recovered}, {@code no_effect} or {@code
   *     failed}
   * @param failure why the transport did not restart it, when {@code failed}
   * @param settledAt when the outcome was decided
   */
  public record Restart(
      UUID id,
      Instant restartedAt,
      String cause,
      String reason,
      String outcome,
      String failure,
      Instant settledAt) {

    static Restart of(LivenessRepository.RestartRow row) {
      return new Restart(
          row.id(),
          row.restartedAt(),
          row.cause().value(),
          row.reason(),
          row.outcome(),
          row.failure(),
          row.settledAt());
    }
  }

  private final LivenessRepository repository;

  SessionRestarts(LivenessRepository repository) {
    this.repository = repository;
  }

  /** Newest first. */
  public List<Restart> list(UUID sessionId, int limit, int offset) {
    return repository.restarts(sessionId, limit, offset).stream().map(Restart::of).toList();
  }

  public long count(UUID sessionId) {
    return repository.countRestarts(sessionId);
  }

  public Optional<Restart> latest(UUID sessionId) {
    return repository.latestRestart(sessionId).map(Restart::of);
  }

  /** The latest restart of each of these sessions that had one. */
  public Map<UUID, Restart> latest(Collection<UUID> sessionIds) {
    return repository.latestRestarts(sessionIds).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> Restart.of(e.getValue())));
  }
}
