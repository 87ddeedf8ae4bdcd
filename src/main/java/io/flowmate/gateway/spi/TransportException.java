package io.flowmate.gateway.spi;

/**
 * A send or session command the transport could not carry out.
 *
 * @see #retryable()
 */
public class TransportException extends RuntimeException {

  private final boolean retryable;

  public TransportException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public TransportException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** True when the same call may succeed later (session not connected, timeout, 5xx). */
  public boolean retryable() {
    return retryable;
  }
}
