package io.flowmate.gateway;

import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEventListener;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Every normalised event the transport reported, as the gateway's other listeners saw it: what the
 * conformance suite asserts on, whichever transport produced it.
 */
public class RecordedTransportEvents implements TransportEventListener {

  private final List<TransportEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onTransportEvent(TransportEvent event) {
    events.add(event);
  }

  /** The session's events of one type, oldest first. */
  public <T extends TransportEvent> List<T> of(Class<T> type, UUID sessionId) {
    return events.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(event -> event.sessionId().value().equals(sessionId))
        .toList();
  }

  /** Waits for the session's first event of this type that matches. */
  public <T extends TransportEvent> T await(Class<T> type, UUID sessionId, Predicate<T> matching) {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> of(type, sessionId).stream().filter(matching).findFirst(),
            found -> found.isPresent())
        .orElseThrow();
  }

  /** Waits until the session reached this state. */
  public TransportEvent.SessionStateChanged awaitState(
      UUID sessionId, TransportEvent.SessionState state) {
    return awaitStateAfter(sessionId, 0, state);
  }

  /** How many state changes the session has reported so far (for {@link #awaitStateAfter}). */
  public int mark(UUID sessionId) {
    return of(TransportEvent.SessionStateChanged.class, sessionId).size();
  }

  /** Waits for this state among the changes reported after the first {@code mark} ones. */
  public TransportEvent.SessionStateChanged awaitStateAfter(
      UUID sessionId, int mark, TransportEvent.SessionState state) {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              List<TransportEvent.SessionStateChanged> changes =
                  of(TransportEvent.SessionStateChanged.class, sessionId);
              return changes.subList(Math.min(mark, changes.size()), changes.size()).stream()
                  .filter(change -> change.state() == state)
                  .findFirst();
            },
            found -> found.isPresent())
        .orElseThrow();
  }

  /** The states the session went through, in order. */
  public List<TransportEvent.SessionState> states(UUID sessionId) {
    return of(TransportEvent.SessionStateChanged.class, sessionId).stream()
        .map(TransportEvent.SessionStateChanged::state)
        .toList();
  }

  @TestConfiguration(proxyBeanMethods = false)
  public static class Config {
    @Bean
    RecordedTransportEvents recordedTransportEvents() {
      return new RecordedTransportEvents();
    }
  }
}
