package io.flowmate.gateway;

import io.flowmate.gateway.spi.TransportEvent.SessionState;

/**
 * The reference API's session states, plus {@code passkey_required}. The transport reports where a
 * session stands and every report is taken as it comes (WhatsApp is the truth); what the API may do
 * in each state is said here.
 */
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

  /**
   * Whether a start must open the session on the transport; starting a live session changes
   * nothing.
   */
  boolean needsOpening() {
    return this == STOPPED || this == FAILED;
  }

  /**
   * Whether the session waits to be paired: only then is there a QR code, or may a pairing code be
   * asked for.
   */
  boolean awaitsPairing() {
    return this == QR_CODE;
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
