package io.flowmate.analytics.report;

import io.flowmate.core.TenantId;
import io.flowmate.leads.MonitoredGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Group monitoring's figures for the group_monitoring report, the usage of the plan's monitored
 * groups and the health report's unmonitored groups, read through {@link MonitoredGroups}.
 */
@Component
public class GroupMonitoringFigures {

  private final MonitoredGroups groups;

  GroupMonitoringFigures(MonitoredGroups groups) {
    this.groups = groups;
  }

  /** The group_monitoring report: every monitored group's activity since {@code since}. */
  ReportContents.GroupMonitoring digest(TenantId tenant, Instant since) {
    return ReportContents.GroupMonitoring.of(
        groups.monitored(tenant), groups.digest(tenant, since));
  }

  /** How many groups the tenant monitors (what the plan's {@code max_monitored_groups} counts). */
  Optional<Long> monitoredCount(TenantId tenant) {
    return Optional.of((long) groups.monitored(tenant).size());
  }

  /** Groups the tenant's working numbers are in but do not monitor, busiest in the window first. */
  public Optional<List<MonitoredGroups.Unmonitored>> unmonitored(
      TenantId tenant, Duration window, int limit) {
    return Optional.of(groups.unmonitored(tenant, window, limit));
  }
}
