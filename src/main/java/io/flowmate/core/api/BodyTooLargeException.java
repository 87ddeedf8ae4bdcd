package io.flowmate.core.api;

import java.io.IOException;

/** Raised while reading a request body past the size limit; rendered as 413. */
public class BodyTooLargeException extends IOException {

  public BodyTooLargeException(String message) {
    super(message);
  }
}
