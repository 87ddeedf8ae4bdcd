package io.flowmate.gateway.liveness;

import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEventListener;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Notes when WhatsApp last sent something for each session, from every event the transport reports
 * (acks, messages, reactions, group and label changes), and writes it to the session's row when the
 * watchdog asks ({@link #flush}): one UPDATE per active session and check, instead of one per event
 * on the hot path of every incoming webhook.
 *
 * <p>State changes do not count: after a restart WAHA reports STARTING and WORKING by itself, even
 * while WhatsApp stays silent, and the transports report some states from their own calls. What
 * counts is the time the event reached Flowmate, not the time WhatsApp put in it: a webhook retried
 * an hour later is an hour-old event but a live stream.
 */
@Component
class LivenessTracker implements TransportEventListener {

  private final LivenessRepository repository;
  private final Clock clock;

  /** The latest event per session since the last flush. Bounded by the number of sessions. */
  private final Map<UUID, Instant> unflushed = new ConcurrentHashMap<>();

  LivenessTracker(LivenessRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  @Override
  public void onTransportEvent(TransportEvent event) {
    if (event instanceof TransportEvent.SessionStateChanged) {
      return;
    }
    Instant now = clock.instant();
    unflushed.merge(
        event.sessionId().value(),
        now,
        (earlier, later) -> later.isAfter(earlier) ? later : earlier);
  }

  /**
   * Writes what this instance saw since the last flush. Instances flush independently; each
   * session's {@code last_event_at} only moves forward.
   */
  void flush() {
    if (unflushed.isEmpty()) {
      return;
    }
    Map<UUID, Instant> seen = Map.copyOf(unflushed);
    repository.recordLastEvents(seen);
    // An event that arrived during the write stays for the next flush.
    seen.forEach(unflushed::remove);
  }
}
