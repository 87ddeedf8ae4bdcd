package io.flowmate.gateway.spi;

import io.flowmate.core.SessionId;

/**
 * Which session a transport call is about.
 *
 * @param phoneNumber the linked number when the session was paired before (lets a transport that
 *     keeps no state of its own, like the simulator, resume without a new pairing)
 */
public record SessionRef(SessionId sessionId, String phoneNumber) {

  /** The session's name on transports that address sessions by name (WAHA). */
  public String transportName() {
    return "fm_" + sessionId.toString().replace("-", "");
  }
}
