package io.flowmate.gateway;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.spi.SessionRef;
import java.time.Instant;

/**
 * A session as other modules see it.
 *
 * @param pairedAt when the current number was linked (the warm-up of new numbers starts there)
 */
public record SessionInfo(
    SessionId id,
    TenantId tenantId,
    String name,
    SessionStatus status,
    String phoneNumber,
    boolean isBusiness,
    Instant pairedAt,
    Instant createdAt) {

  public boolean isWorking() {
    return status == SessionStatus.WORKING;
  }

  public SessionRef ref() {
    return new SessionRef(id, phoneNumber);
  }
}
