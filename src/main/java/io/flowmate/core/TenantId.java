package io.flowmate.core;

import java.util.Objects;
import java.util.UUID;

/** The tenant every business object belongs to; all queries are filtered by it. */
public record TenantId(UUID value) {

  public TenantId {
    Objects.requireNonNull(value, "tenant id");
  }

  public static TenantId of(UUID value) {
    return new TenantId(value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
