package io.flowmate.gateway.spi;

/**
 * Implemented by modules that react to transport events (session state, acks, inbound messages).
 * Called synchronously on the transport's thread, once per event, in order per session; a listener
 * must be idempotent because webhook transports deliver events at least once.
 */
public interface TransportEventListener {

  void onTransportEvent(TransportEvent event);
}
