package io.flowmate.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/**
 * A message messaging stored, outgoing or received. In JSON it is the plain UUID string, as the raw
 * UUID was before.
 */
public record MessageId(@JsonValue UUID value) {

  public MessageId {
    Objects.requireNonNull(value, "message id");
  }

  @JsonCreator
  public static MessageId of(UUID value) {
    return new MessageId(value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
