package io.flowmate.core.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.flowmate.core.TenantId;
import io.flowmate.core.sse.LiveEvents.LiveEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Carries live events between the Flowmate instances that share one PostgreSQL, so that a client
 * streaming from one instance sees what happened on another (no sticky sessions needed). PostgreSQL
 * LISTEN/NOTIFY on one channel: every instance listens; an instance notifies an event only while
 * another instance has a stream of the event's tenant open, so a lone instance, or a tenant nobody
 * watches, costs no NOTIFY at all.
 *
 * <p>Why LISTEN/NOTIFY: it needs nothing besides the database every instance already has, delivers
 * in milliseconds, and forgets (live events are best effort by design: a client that reconnects
 * reads the current state over REST). Events are small references already (ids, statuses, never
 * message contents), well under NOTIFY's 8,000-byte payload; the receiving instance filters them by
 * tenant, stream filter and the stream key's scopes exactly as it filters its own.
 *
 * <p>Who watches what: each instance announces the tenants it has streams for when that set gains a
 * tenant and every {@code announce-interval}; an announcement not repeated for three intervals (an
 * instance that died) is forgotten. A starting instance asks the others to announce at once.
 */
@Component
class LiveEventRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveEventRelay.class);
  private static final String CHANNEL = "flowmate_live_events";
  private static final int MAX_PAYLOAD_BYTES = 7_900;
  private static final int QUEUE = 10_000;
  private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);

  /** What one NOTIFY carries: an event, or an announcement of the tenants watched. */
  record Note(
      UUID from,
      String tenant,
      String name,
      UUID sessionId,
      Map<String, Object> data,
      List<String> watching,
      boolean hello) {}

  /** Another instance's streams: the tenants it watches, and when it last said so. */
  private record Watcher(Set<String> tenants, Instant announcedAt) {}

  private final UUID self = UUID.randomUUID();
  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final LiveEventsSettings settings;
  private final Map<UUID, Watcher> watchers = new ConcurrentHashMap<>();
  private final BlockingQueue<String> outgoing = new ArrayBlockingQueue<>(QUEUE);
  private volatile BiConsumer<TenantId, LiveEvent> receiver = (tenant, event) -> {};
  private volatile Supplier<Collection<TenantId>> watchedHere = List::of;
  private volatile boolean running;
  private volatile boolean announceNow;
  private Thread listener;
  private Thread notifier;

  LiveEventRelay(
      DataSource dataSource, JdbcClient jdbc, ObjectMapper json, LiveEventsSettings settings) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    // The application's mapper: data written as the streams write it (instants as ISO text).
    this.json = json;
    this.settings = settings;
  }

  /** Where events from other instances go, and which tenants this instance has streams for. */
  void connect(BiConsumer<TenantId, LiveEvent> receiver, Supplier<Collection<TenantId>> watched) {
    this.receiver = receiver;
    this.watchedHere = watched;
  }

  /** Whether another instance has a stream of the tenant open (as far as it announced). */
  boolean watchedElsewhere(TenantId tenant) {
    if (!settings.shareAcrossInstances() || watchers.isEmpty()) {
      return false;
    }
    Instant fresh = Instant.now().minus(settings.announceInterval().multipliedBy(3));
    String id = tenant.value().toString();
    return watchers.values().stream()
        .anyMatch(w -> w.announcedAt().isAfter(fresh) && w.tenants().contains(id));
  }

  /** Hands an event (committed here) to the other instances; never blocks. */
  void forward(TenantId tenant, LiveEvent event) {
    if (!running) {
      return;
    }
    String payload =
        write(
            new Note(
                self,
                tenant.value().toString(),
                event.name(),
                event.sessionId(),
                event.data(),
                null,
                false));
    if (payload == null) {
      return;
    }
    if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      log.debug("Live event {} too large to share with other instances", event.name());
      return;
    }
    if (!outgoing.offer(payload)) {
      log.debug("Live events to other instances are backing up; one {} not shared", event.name());
    }
  }

  /** This instance now watches a tenant it did not: tell the others before the next interval. */
  void watchingChanged() {
    announceNow = true;
  }

  @Override
  public void start() {
    if (!settings.shareAcrossInstances()) {
      return;
    }
    running = true;
    listener = Thread.ofPlatform().name("live-events-listen").daemon().start(this::listen);
    notifier = Thread.ofPlatform().name("live-events-notify").daemon().start(this::notifyOthers);
  }

  @Override
  public void stop() {
    running = false;
    if (listener != null) {
      listener.interrupt();
    }
    if (notifier != null) {
      notifier.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  // --- receiving --------------------------------------------------------------------------------

  private void listen() {
    boolean greeted = false;
    while (running) {
      try (Connection connection = listenerConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        if (!greeted) {
          // Only once listening: the answers to the greeting must not be missed.
          String hello = write(new Note(self, null, null, null, null, null, true));
          if (hello != null) {
            outgoing.offer(hello);
          }
          greeted = true;
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications(1_000);
          if (notes != null) {
            for (PGNotification note : notes) {
              receive(note.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn(
            "Listening for other instances' live events failed; listening again: {}",
            e.getMessage());
        try {
          Thread.sleep(RECONNECT_DELAY.toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void receive(String payload) {
    Note note;
    try {
      note = json.readValue(payload, Note.class);
    } catch (JsonProcessingException e) {
      log.debug("Ignored a notification on {} that is not Flowmate's", CHANNEL);
      return;
    }
    if (self.equals(note.from())) {
      return;
    }
    if (note.hello()) {
      announceNow = true;
    } else if (note.watching() != null) {
      watchers.put(note.from(), new Watcher(Set.copyOf(note.watching()), Instant.now()));
    } else if (note.tenant() != null && note.name() != null) {
      Map<String, Object> data = note.data() == null ? Map.of() : note.data();
      receiver.accept(
          TenantId.of(UUID.fromString(note.tenant())),
          new LiveEvent(note.name(), note.sessionId(), data));
    }
  }

  /**
   * A connection of its own, outside the pool when the pool tells how to open one: it is held for
   * as long as the instance runs, and a pooled one would be taken from the requests.
   */
  private Connection listenerConnection() throws SQLException {
    if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
      return DriverManager.getConnection(
          hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
    }
    return dataSource.getConnection();
  }

  // --- sending ----------------------------------------------------------------------------------

  private void notifyOthers() {
    Instant nextAnnouncement = Instant.now();
    List<String> batch = new ArrayList<>();
    while (running) {
      try {
        String first = outgoing.poll(250, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          outgoing.drainTo(batch, 500);
        }
        if (announceNow || !Instant.now().isBefore(nextAnnouncement)) {
          announceNow = false;
          nextAnnouncement = Instant.now().plus(settings.announceInterval());
          List<String> watched =
              watchedHere.get().stream().map(t -> t.value().toString()).distinct().toList();
          String announcement = write(new Note(self, null, null, null, null, watched, false));
          if (announcement != null) {
            batch.add(announcement);
          }
        }
        if (!batch.isEmpty()) {
          send(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Could not share live events with other instances: {}", e.getMessage());
      } finally {
        batch.clear();
      }
    }
  }

  private void send(List<String> payloads) {
    jdbc.sql("SELECT pg_notify('" + CHANNEL + "', p) FROM unnest(CAST(:payloads AS text[])) p")
        .param("payloads", payloads.toArray(String[]::new))
        .query((rs, row) -> null)
        .list();
  }

  private String write(Note note) {
    try {
      return json.writeValueAsString(note);
    } catch (JsonProcessingException e) {
      log.debug("A live event could not be written for other instances: {}", e.getMessage());
      return null;
    }
  }
}
