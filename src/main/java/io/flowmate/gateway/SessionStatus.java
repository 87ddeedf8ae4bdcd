package io.flowmate.gateway;

import io.flowmate.gateway.spi.TransportEvent.SessionState;

/** The reference API's session states, plus {@code passkey_required}. */
public enum SessionStatus {
  STOPPED,
  STARTING,
  QR_CODE,
  WORKING,
  FAILED,
  PASSKEY_REQUIRED;

  public String value() {
    return name().toLowerCase();
  }

  public static SessionStatus of(String value) {
    return valueOf(value.toUpperCase());
  }

  static SessionStatus of(SessionState state) {
    return switch (state) {
      case STARTING -> STARTING;
      case QR_CODE -> QR_CODE;
      case PASSKEY_REQUIRED -> PASSKEY_REQUIRED;
      case WORKING -> WORKING;
      case STOPPED -> STOPPED;
      case FAILED, LOGGED_OUT -> FAILED;
    };
  }
}
