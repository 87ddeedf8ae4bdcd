package io.flowmate.core.net;

/**
 * A download from an allowed URL that did not succeed; the message says why in words fit for a
 * message's failure reason.
 *
 * @see #retryable()
 */
public class DownloadException extends RuntimeException {

  private final boolean retryable;

  public DownloadException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /** True when the same request may succeed later (timeout, connection refused, 429, 5xx). */
  public boolean retryable() {
    return retryable;
  }
}
