package io.flowmate.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/**
 * A lead of the leads pipeline. In JSON it is the plain UUID string, as the raw UUID was before.
 */
public record LeadId(@JsonValue UUID value) {

  public LeadId {
    Objects.requireNonNull(value, "lead id");
  }

  @JsonCreator
  public static LeadId of(UUID value) {
    return new LeadId(value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
