package io.flowmate.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/**
 * A request for a human decision (workflow's approvals). In JSON it is the plain UUID string, as
 * the raw UUID was before.
 */
public record ApprovalId(@JsonValue UUID value) {

  public ApprovalId {
    Objects.requireNonNull(value, "approval id");
  }

  @JsonCreator
  public static ApprovalId of(UUID value) {
    return new ApprovalId(value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
