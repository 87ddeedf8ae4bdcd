package io.flowmate.gateway.waha;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ids of webhook events being handled and of the last ones handled, so that WAHA's retries of
 * an event (same {@code id}) are answered but not handed on twice. An id counts as handled only
 * once its event is stored; a retry that arrives while the first attempt is still in flight is told
 * so (the caller answers 503 and WAHA tries again), because that attempt may still fail.
 *
 * <p>Bounded: handled ids are kept up to a capacity, the oldest forgotten first; ids in flight are
 * as many as requests being served. Listeners are idempotent as well, so an id forgotten here (or
 * across a restart) costs nothing but work.
 */
final class RecentEventIds {

  /** What is known about an event id. */
  enum Seen {
    /**
     * Not seen: the caller now handles it and must end with {@link #handled} or {@link #failed}.
     */
    FIRST,
    /** Another delivery of it is being handled right now. */
    IN_FLIGHT,
    /** Stored already. */
    HANDLED
  }

  private final Set<String> inFlight = new HashSet<>();
  private final Map<String, Boolean> handled;

  RecentEventIds(int capacity) {
    this.handled =
        new LinkedHashMap<>(capacity, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Whether the id was handled or is in flight; if neither, it is now in flight. */
  synchronized Seen begin(String id) {
    if (handled.get(id) != null) {
      return Seen.HANDLED;
    }
    return inFlight.add(id) ? Seen.FIRST : Seen.IN_FLIGHT;
  }

  /** The event begun with this id is stored: its repeats are answered without handing them on. */
  synchronized void handled(String id) {
    inFlight.remove(id);
    handled.put(id, Boolean.TRUE);
  }

  /** The event begun with this id could not be handled, so that WAHA's retry is taken. */
  synchronized void failed(String id) {
    inFlight.remove(id);
  }
}
