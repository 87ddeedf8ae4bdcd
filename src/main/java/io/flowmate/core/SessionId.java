package io.flowmate.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/**
 * A WhatsApp session: one number of a tenant, linked or not. In JSON it is the plain UUID string,
 * as the raw UUID was before.
 */
public record SessionId(@JsonValue UUID value) {

  public SessionId {
    Objects.requireNonNull(value, "session id");
  }

  @JsonCreator
  public static SessionId of(UUID value) {
    return new SessionId(value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
