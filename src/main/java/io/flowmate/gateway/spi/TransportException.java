package io.flowmate.gateway.spi;

/**
 * A send or session command the transport could not carry out.
 *
 * @see #retryable()
 * @see #outcome()
 */
public class TransportException extends RuntimeException {

  /** What a failed {@link WhatsAppTransport#send} means for the message. */
  public enum Outcome {
    /**
     * The message did not reach WhatsApp: refused before it was handed over (connection refused,
     * validation, session not ready). Sending it again delivers it once.
     */
    NOT_SENT,
    /**
     * The request may have reached WhatsApp and its answer was lost (a timeout or a broken
     * connection after the request was written, a server error): WhatsApp may have accepted the
     * message. Only {@link WhatsAppTransport#findSent} can tell; sending it again may deliver it
     * twice.
     */
    UNKNOWN
  }

  private final boolean retryable;
  private final Outcome outcome;

  /** A failure known not to have sent anything. */
  public TransportException(String message, boolean retryable) {
    this(message, retryable, Outcome.NOT_SENT, null);
  }

  /** A failure known not to have sent anything. */
  public TransportException(String message, boolean retryable, Throwable cause) {
    this(message, retryable, Outcome.NOT_SENT, cause);
  }

  public TransportException(String message, boolean retryable, Outcome outcome, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.outcome = outcome;
  }

  /** The call's answer was lost after it may have been carried out; asking again may answer. */
  public static TransportException outcomeUnknown(String message, Throwable cause) {
    return new TransportException(message, true, Outcome.UNKNOWN, cause);
  }

  /** True when the same call may succeed later (session not connected, timeout, 5xx). */
  public boolean retryable() {
    return retryable;
  }

  /** Whether a failed send may have reached WhatsApp anyway. */
  public Outcome outcome() {
    return outcome;
  }

  /** True when WhatsApp may have carried the call out although it failed here. */
  public boolean outcomeUnknown() {
    return outcome == Outcome.UNKNOWN;
  }
}
