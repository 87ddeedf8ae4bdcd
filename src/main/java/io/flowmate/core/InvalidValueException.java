package io.flowmate.core;

/**
 * Thrown by value objects when input is not acceptable; its message is written for the API client
 * and becomes the 422 problem's {@code detail}.
 */
public class InvalidValueException extends IllegalArgumentException {

  public InvalidValueException(String message) {
    super(message);
  }
}
