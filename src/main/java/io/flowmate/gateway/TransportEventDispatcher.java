package io.flowmate.gateway;

import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEventListener;
import io.flowmate.gateway.spi.TransportEventSink;
import io.flowmate.gateway.spi.WhatsAppTransport;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Hands every transport event to each {@link TransportEventListener}. A failing listener is logged
 * and does not keep the event from the others; its failure is then rethrown to whoever reported the
 * event, so that a webhook receiver refuses the delivery and WAHA repeats it (listeners are
 * idempotent) instead of the event being lost.
 */
@Component
class TransportEventDispatcher implements TransportEventSink {

  private static final Logger log = LoggerFactory.getLogger(TransportEventDispatcher.class);

  private final ObjectProvider<TransportEventListener> listeners;

  /** Resolved on the first event (listeners depend on beans that depend on the transport). */
  private volatile List<TransportEventListener> resolved;

  TransportEventDispatcher(
      WhatsAppTransport transport, ObjectProvider<TransportEventListener> listeners) {
    this.listeners = listeners;
    transport.subscribe(this);
  }

  @Override
  public void accept(TransportEvent event) {
    RuntimeException failure = null;
    for (TransportEventListener listener : listeners()) {
      try {
        listener.onTransportEvent(event);
      } catch (RuntimeException e) {
        // The event's type and session, never the event: it carries texts, numbers and push names.
        log.error(
            "{} failed on {} of session {}",
            listener.getClass().getSimpleName(),
            event.getClass().getSimpleName(),
            event.sessionId(),
            e);
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private List<TransportEventListener> listeners() {
    List<TransportEventListener> known = resolved;
    if (known == null) {
      known = listeners.orderedStream().toList();
      resolved = known;
    }
    return known;
  }
}
