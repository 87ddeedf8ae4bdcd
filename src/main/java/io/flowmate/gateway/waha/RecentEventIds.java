package io.flowmate.gateway.waha;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last webhook events taken, so that WAHA's retries of an event (same {@code id})
 * are answered but not handed on twice. Bounded: the oldest ids are forgotten first. Listeners are
 * idempotent as well, so an id forgotten here (or across a restart) costs nothing but work.
 */
final class RecentEventIds {

  private final Map<String, Boolean> ids;

  RecentEventIds(int capacity) {
    this.ids =
        new LinkedHashMap<>(capacity, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True the first time an id is seen (and remembers it); false for a repeat. */
  synchronized boolean firstTime(String id) {
    return ids.putIfAbsent(id, Boolean.TRUE) == null;
  }

  /** Forgets an id whose event could not be handled, so that WAHA's retry is taken. */
  synchronized void forget(String id) {
    ids.remove(id);
  }
}
