package io.flowmate.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/**
 * A bulk-send campaign of outreach. In JSON it is the plain UUID string, as the raw UUID was
 * before.
 */
public record CampaignId(@JsonValue UUID value) {

  public CampaignId {
    Objects.requireNonNull(value, "campaign id");
  }

  @JsonCreator
  public static CampaignId of(UUID value) {
    return new CampaignId(value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
