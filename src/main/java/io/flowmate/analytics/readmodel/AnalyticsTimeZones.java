package io.flowmate.analytics.readmodel;

import io.flowmate.admin.Tenants;
import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.core.TenantId;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Tenants' time zones (admin's tenant settings), remembered for a while: the listeners need one for
 * every message sent, and must not ask the database each time.
 */
@Component
class AnalyticsTimeZones {

  private record Remembered(ZoneId zone, long until) {}

  private final Tenants tenants;
  private final long ttlNanos;
  private final Map<TenantId, Remembered> zones = new ConcurrentHashMap<>();

  AnalyticsTimeZones(Tenants tenants, AnalyticsSettings settings) {
    this.tenants = tenants;
    this.ttlNanos = settings.readModels().timezoneCacheTtl().toNanos();
  }

  /** The tenant's zone; UTC for a tenant that is gone or has none that Java knows. */
  ZoneId of(TenantId tenant) {
    long now = System.nanoTime();
    Remembered remembered = zones.get(tenant);
    if (remembered != null && now - remembered.until() < 0) {
      return remembered.zone();
    }
    ZoneId zone = lookUp(tenant);
    zones.put(tenant, new Remembered(zone, now + ttlNanos));
    return zone;
  }

  /** The tenant's zone as it is now, not as remembered (the API's answers). */
  ZoneId current(TenantId tenant) {
    ZoneId zone = lookUp(tenant);
    zones.put(tenant, new Remembered(zone, System.nanoTime() + ttlNanos));
    return zone;
  }

  private ZoneId lookUp(TenantId tenant) {
    try {
      return ZoneId.of(tenants.settings(tenant).timezone());
    } catch (RuntimeException unknownTenantOrZone) {
      // Never fail the message's own transaction over a report's time zone.
      return ZoneOffset.UTC;
    }
  }
}
