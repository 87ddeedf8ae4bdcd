package io.flowmate.core.sse;

import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.Scopes;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events to browsers and clients: modules publish what happened for a tenant (a
 * session's status, a message's delivery, a detected lead); each open stream receives the events
 * its filter and its key's scopes accept, whichever Flowmate instance it is connected to (other
 * instances' events arrive through {@link LiveEventRelay}). In memory and best effort: a client
 * that reconnects reads the current state from the REST API.
 *
 * <p>Publishing never waits for a client. An event is handed over once its transaction commits (so
 * nothing rolled back is announced, and no transaction waits on a socket), into each stream's
 * bounded queue; every stream has its own sender (a virtual thread) that writes to its client. A
 * client that stops reading fills its queue and is dropped with a last {@code stream.dropped}
 * event, so it can stall no one else.
 *
 * <p>When Flowmate stops, every stream ends at once with a last {@code stream.shutdown} event (what
 * was still queued is not sent: the client reads the current state after reconnecting), and new
 * streams are refused with 503. This happens just before the web server's graceful shutdown starts
 * waiting for requests in progress, which would otherwise wait for the streams until its timeout.
 */
@Component
public class LiveEvents implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);

  /** The last event of a stream that fell too far behind; the client should reconnect. */
  public static final String DROPPED = "stream.dropped";

  /** The last event of every stream when Flowmate stops; the client should reconnect later. */
  public static final String SHUTDOWN = "stream.shutdown";

  /** How long stopping waits for the streams' last events to be written. */
  private static final Duration LAST_EVENTS_WAIT = Duration.ofSeconds(2);

  /** One event: its name ({@code message.status}), the session it concerns if any, its data. */
  public record LiveEvent(String name, UUID sessionId, Map<String, Object> data) {}

  /** The scope a key needs to see each kind of event, by the prefix of its name. */
  private static final Map<String, String> SCOPE_BY_KIND =
      Map.of(
          "session.", Scopes.SESSIONS_READ,
          "message.", Scopes.MESSAGES_READ,
          "group.", Scopes.GROUPS_READ,
          "lead.", Scopes.LEADS_READ,
          "bulk-send.", Scopes.BULK_SEND_READ);

  /** Kinds sent as plain {@code data:} lines, without an event name (the reference API's shape). */
  private static final Set<String> UNNAMED = Set.of("bulk-send.progress");

  /** Events that show what contacts wrote, and who they are: chat history. */
  private static final Set<String> CHAT_HISTORY = Set.of("message.received");

  private static final LiveEvent CLOSE = new LiveEvent("stream.close", null, Map.of());
  private static final LiveEvent END = new LiveEvent("stream.end", null, Map.of());

  private final Map<TenantId, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
  private final LiveEventsSettings settings;
  private final ObjectProvider<ChatHistoryGate> chatHistory;
  private final LiveEventRelay relay;

  /** Senders still writing to their client: stopping waits for them to end. */
  private final Set<Subscriber> open = ConcurrentHashMap.newKeySet();

  private volatile boolean running;

  LiveEvents(
      LiveEventsSettings settings,
      ObjectProvider<ChatHistoryGate> chatHistory,
      LiveEventRelay relay) {
    this.settings = settings;
    this.chatHistory = chatHistory;
    this.relay = relay;
    relay.connect(this::dispatch, this::watchedTenants);
  }

  private List<TenantId> watchedTenants() {
    return subscribers.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * Opens a stream of the caller's tenant's events that pass the filter and that the caller's
   * scopes allow.
   *
   * @throws ApiException 429 when the tenant already holds its maximum of open streams
   */
  public SseEmitter subscribe(Caller caller, Predicate<LiveEvent> filter, Duration timeout) {
    return subscribe(caller, filter, timeout, List.of(), false);
  }

  /**
   * Opens a stream as {@link #subscribe(Caller, Predicate, Duration)} that starts with the given
   * events (e.g. the current state), and ends right after them if {@code endAfterInitial}.
   */
  public SseEmitter subscribe(
      Caller caller,
      Predicate<LiveEvent> filter,
      Duration timeout,
      List<LiveEvent> initial,
      boolean endAfterInitial) {
    if (!running) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE, "Flowmate is stopping: open the stream again later");
    }
    List<Subscriber> list =
        subscribers.computeIfAbsent(caller.tenantId(), t -> new CopyOnWriteArrayList<>());
    Subscriber subscriber =
        new Subscriber(caller, filter, new SseEmitter(timeout.toMillis()), list);
    synchronized (list) {
      if (list.size() >= settings.maxStreamsPerTenant()) {
        throw new ApiException(
            HttpStatus.TOO_MANY_REQUESTS,
            "This tenant already has %d open event streams, the most it may hold: close one first"
                .formatted(settings.maxStreamsPerTenant()));
      }
      if (list.isEmpty()) {
        relay.watchingChanged();
      }
      list.add(subscriber);
    }
    initial.stream().filter(subscriber::wants).forEach(subscriber::offer);
    if (endAfterInitial) {
      subscriber.end();
    }
    subscriber.start();
    if (!running) {
      // Flowmate began to stop while this stream opened, perhaps after stop() ended the others.
      subscriber.shutDown();
    }
    return subscriber.emitter;
  }

  /**
   * Announces an event to the tenant's open streams, on this instance and on the other Flowmate
   * instances sharing the database: once the current transaction commits (never, if it rolls back),
   * at once outside one. Never blocks on a client.
   */
  public void publish(TenantId tenant, UUID sessionId, String name, Map<String, Object> data) {
    publish(tenant, sessionId, name, data, relay.watchedElsewhere(tenant));
  }

  /**
   * Announces an event to the tenant's streams on this instance only: for events every instance
   * computes for its own streams (a campaign's progress).
   */
  public void publishHere(TenantId tenant, UUID sessionId, String name, Map<String, Object> data) {
    publish(tenant, sessionId, name, data, false);
  }

  private void publish(
      TenantId tenant, UUID sessionId, String name, Map<String, Object> data, boolean elsewhere) {
    boolean here = !subscribers.getOrDefault(tenant, List.of()).isEmpty();
    if (!here && !elsewhere) {
      return;
    }
    LiveEvent event =
        new LiveEvent(name, sessionId, Collections.unmodifiableMap(new LinkedHashMap<>(data)));
    Runnable announce =
        () -> {
          if (here) {
            dispatch(tenant, event);
          }
          if (elsewhere) {
            relay.forward(tenant, event);
          }
        };
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              announce.run();
            }
          });
    } else {
      announce.run();
    }
  }

  private void dispatch(TenantId tenant, LiveEvent event) {
    for (Subscriber subscriber : subscribers.getOrDefault(tenant, List.of())) {
      if (subscriber.wants(event)) {
        subscriber.offer(event);
      }
    }
  }

  /** Whether any open stream of the tenant would receive this event: is anyone watching? */
  public boolean isWatched(TenantId tenant, LiveEvent event) {
    return subscribers.getOrDefault(tenant, List.of()).stream().anyMatch(s -> s.wants(event));
  }

  /** Ends, after what they have queued, the tenant's streams that would receive this event. */
  public void end(TenantId tenant, LiveEvent event) {
    subscribers.getOrDefault(tenant, List.of()).stream()
        .filter(s -> s.wants(event))
        .forEach(Subscriber::end);
  }

  /** Open streams of the tenant. */
  int openStreams(TenantId tenant) {
    return subscribers.getOrDefault(tenant, List.of()).size();
  }

  @Override
  public void start() {
    running = true;
  }

  /**
   * Ends every stream with {@link #SHUTDOWN} and waits briefly until the last events are written,
   * so that graceful shutdown finds no stream left to wait for.
   */
  @Override
  public void stop() {
    running = false;
    subscribers.values().forEach(list -> list.forEach(Subscriber::shutDown));
    long deadline = System.nanoTime() + LAST_EVENTS_WAIT.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!open.isEmpty()) {
      log.info("{} live event streams had not ended when Flowmate stopped", open.size());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Just before the web server's graceful shutdown, which waits for requests in progress. */
  @Override
  public int getPhase() {
    return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
  }

  private static String requiredScope(String name) {
    return SCOPE_BY_KIND.entrySet().stream()
        .filter(kind -> name.startsWith(kind.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** One open stream: its queue, and the virtual thread that writes the queue to the client. */
  private final class Subscriber {

    private final Caller caller;
    private final Predicate<LiveEvent> filter;
    private final SseEmitter emitter;
    private final List<Subscriber> list;
    private final BlockingQueue<LiveEvent> queue;
    private final AtomicBoolean dropped = new AtomicBoolean();
    private volatile boolean closed;

    Subscriber(
        Caller caller, Predicate<LiveEvent> filter, SseEmitter emitter, List<Subscriber> list) {
      this.caller = caller;
      this.filter = filter;
      this.emitter = emitter;
      this.list = list;
      this.queue = new ArrayBlockingQueue<>(settings.queueCapacity() + 1);
    }

    void start() {
      emitter.onCompletion(this::close);
      emitter.onTimeout(this::close);
      emitter.onError(error -> close());
      open.add(this);
      Thread.ofVirtual().name("live-events-" + caller.tenantId().value()).start(this::run);
    }

    /** Cheap checks, on the publisher's thread: the stream's filter and the key's scopes. */
    boolean wants(LiveEvent event) {
      String scope = requiredScope(event.name());
      return scope != null && caller.has(scope) && filter.test(event);
    }

    void offer(LiveEvent event) {
      if (closed || dropped.get()) {
        return;
      }
      // One slot stays free for the last event of a dropped stream.
      if (queue.remainingCapacity() <= 1 || !queue.offer(event)) {
        drop();
      }
    }

    /** The stream ends once what is queued is sent. */
    void end() {
      list.remove(this);
      if (!queue.offer(END)) {
        drop();
      }
    }

    /** Flowmate stops: what is queued is dropped, the last event goes out next. */
    void shutDown() {
      if (!dropped.compareAndSet(false, true)) {
        return;
      }
      list.remove(this);
      queue.clear();
      queue.offer(
          new LiveEvent(SHUTDOWN, null, Map.of("reason", "Flowmate is stopping; reconnect later")));
    }

    private void drop() {
      if (!dropped.compareAndSet(false, true)) {
        return;
      }
      list.remove(this);
      queue.clear();
      queue.offer(new LiveEvent(DROPPED, null, Map.of("reason", "the client did not keep up")));
      log.info(
          "Dropped a live event stream of tenant {}: the client fell {} events behind",
          caller.tenantId().value(),
          settings.queueCapacity());
    }

    private void close() {
      closed = true;
      list.remove(this);
      queue.offer(CLOSE);
    }

    private void run() {
      try {
        emitter.send(SseEmitter.event().comment("connected"));
        while (!closed) {
          LiveEvent event = queue.poll(settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
          if (event == null) {
            emitter.send(SseEmitter.event().comment("keep-alive"));
          } else if (event == CLOSE || event == END) {
            return;
          } else if (event.name().equals(DROPPED) || event.name().equals(SHUTDOWN)) {
            send(event);
            return;
          } else if (!CHAT_HISTORY.contains(event.name()) || chatHistoryAllowed()) {
            send(event);
          }
        }
      } catch (IOException | IllegalStateException e) {
        // The client went away; the emitter's callbacks tidy up.
        log.debug(
            "Live event stream of tenant {} ended: {}", caller.tenantId().value(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.warn("Live event stream of tenant {} failed", caller.tenantId().value(), e);
      } finally {
        closed = true;
        list.remove(this);
        finish();
        open.remove(this);
      }
    }

    /** Ends the response if nothing else did; a no-op after the client went away. */
    private void finish() {
      try {
        emitter.complete();
      } catch (RuntimeException e) {
        log.debug("Live event stream already ended: {}", e.toString());
      }
    }

    private void send(LiveEvent event) throws IOException {
      SseEmitter.SseEventBuilder sse = SseEmitter.event();
      if (!UNNAMED.contains(event.name())) {
        sse.name(event.name());
      }
      emitter.send(sse.data(event.data(), MediaType.APPLICATION_JSON));
    }

    private boolean chatHistoryAllowed() {
      ChatHistoryGate gate = chatHistory.getIfAvailable();
      return gate != null && gate.chatHistoryAccessEnabled(caller.tenantId());
    }
  }
}
