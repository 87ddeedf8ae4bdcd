package io.flowmate.analytics;

import io.flowmate.core.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Group monitoring's figures for the group_monitoring report, the usage of the plan's monitored
 * groups and the health report's unmonitored groups, read through {@link
 * io.flowmate.leads.MonitoredGroups}.
 */
@Component
class GroupMonitoringFigures {

  /** The group_monitoring report: every monitored group's activity since {@code since}. */
  ReportContents.GroupMonitoring digest(TenantId tenant, Instant since) {
    return ReportContents.GroupMonitoring.unavailable();
  }

  /** How many groups the tenant monitors; empty when group monitoring is not available. */
  Optional<Long> monitoredCount(TenantId tenant) {
    return Optional.empty();
  }

  /** Active groups the tenant's numbers are in but do not monitor; empty when not available. */
  Optional<List<io.flowmate.leads.MonitoredGroups.Unmonitored>> unmonitored(TenantId tenant, Duration window, int limit) {
    return Optional.empty();
  }
}
