package io.flowmate.gateway.spi;

public enum TransportKind {
  SIMULATOR,
  WAHA
}
