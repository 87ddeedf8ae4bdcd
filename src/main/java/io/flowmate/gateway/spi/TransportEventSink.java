package io.flowmate.gateway.spi;

/** Where a transport reports what happened; the gateway fans events out to listeners. */
@FunctionalInterface
public interface TransportEventSink {

  void accept(TransportEvent event);
}
