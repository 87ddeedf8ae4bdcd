package io.flowmate.core.net;

/**
 * A user's URL that {@link OutboundUrls} will not request; the message says why in words fit for an
 * API {@code detail} (it names the address and its kind, never a secret).
 */
public class RefusedUrlException extends RuntimeException {

  public RefusedUrlException(String reason) {
    super(reason);
  }
}
