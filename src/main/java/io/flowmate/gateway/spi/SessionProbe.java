package io.flowmate.gateway.spi;

/**
 * What a transport says when asked whether a session is connected right now ({@link
 * WhatsAppTransport#probe}).
 *
 * @param connected the transport reports the session as connected to WhatsApp
 * @param problem why not, in words an operator reads (no addresses, no personal data); null when
 *     connected
 */
public record SessionProbe(boolean connected, String problem) {

  public static SessionProbe ok() {
    return new SessionProbe(true, null);
  }

  public static SessionProbe failed(String problem) {
    return new SessionProbe(false, problem);
  }
}
