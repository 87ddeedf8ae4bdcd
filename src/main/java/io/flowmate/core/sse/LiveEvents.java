package io.flowmate.core.sse;

import io.flowmate.core.TenantId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events to browsers and clients: modules publish what happened for a tenant (a
 * session's status, a message's delivery, progress of a campaign); each open stream receives the
 * events its filter accepts. In memory and best effort: a client that reconnects reads the current
 * state from the REST API.
 */
@Component
public class LiveEvents {

  /** One event: its name ({@code message.status}), the session it concerns if any, its data. */
  public record LiveEvent(String name, UUID sessionId, Map<String, Object> data) {}

  private record Subscriber(SseEmitter emitter, Predicate<LiveEvent> filter) {}

  private final Map<TenantId, List<Subscriber>> subscribers = new ConcurrentHashMap<>();

  /** Opens a stream of the tenant's events that pass the filter. */
  public SseEmitter subscribe(TenantId tenant, Predicate<LiveEvent> filter, Duration timeout) {
    SseEmitter emitter = new SseEmitter(timeout.toMillis());
    Subscriber subscriber = new Subscriber(emitter, filter);
    List<Subscriber> list = subscribers.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>());
    list.add(subscriber);
    Runnable remove = () -> list.remove(subscriber);
    emitter.onCompletion(remove);
    emitter.onTimeout(remove);
    emitter.onError(error -> remove.run());
    try {
      emitter.send(SseEmitter.event().comment("connected"));
    } catch (IOException e) {
      remove.run();
    }
    return emitter;
  }

  public void publish(TenantId tenant, UUID sessionId, String name, Map<String, Object> data) {
    List<Subscriber> list = subscribers.get(tenant);
    if (list == null || list.isEmpty()) {
      return;
    }
    LiveEvent event = new LiveEvent(name, sessionId, data);
    for (Subscriber subscriber : list) {
      if (subscriber.filter().test(event)) {
        try {
          subscriber.emitter().send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
          list.remove(subscriber);
        }
      }
    }
  }

  /** Ends every stream that passes the filter, e.g. a progress stream when the work is done. */
  public void complete(TenantId tenant, Predicate<LiveEvent> filter, LiveEvent last) {
    List<Subscriber> list = subscribers.get(tenant);
    if (list == null) {
      return;
    }
    for (Subscriber subscriber : list) {
      if (subscriber.filter().test(last)) {
        subscriber.emitter().complete();
        list.remove(subscriber);
      }
    }
  }

  /** Keeps idle connections open through proxies and notices clients that went away. */
  @Scheduled(fixedDelay = 15_000)
  void heartbeat() {
    subscribers.values()
        .forEach(
            list ->
                list.forEach(
                    subscriber -> {
                      try {
                        subscriber.emitter().send(SseEmitter.event().comment("keep-alive"));
                      } catch (IOException | IllegalStateException e) {
                        list.remove(subscriber);
                      }
                    }));
  }
}
