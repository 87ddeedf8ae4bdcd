package io.flowmate.gateway.liveness;

/** Why the watchdog restarted a session ({@code cause} of {@code gateway_session_restart}). */
public enum RestartCause {
  /** Messages went out and nothing (no ack, no incoming message) came back for too long. */
  SILENT,
  /** The transport said, several probes in a row, that the session is not connected. */
  PROBE_FAILED,
  /** After a restart the session did not get back to working. */
  NOT_WORKING;

  public String value() {
    return name().toLowerCase();
  }

  static RestartCause of(String value) {
    return value == null ? null : valueOf(value.toUpperCase());
  }
}
