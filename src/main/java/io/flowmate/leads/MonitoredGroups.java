package io.flowmate.leads;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Group monitoring as other modules see it (reports, the account health report): which WhatsApp
 * groups a tenant monitors, what they produced, and which active groups it does not monitor yet.
 * Read-only.
 */
public interface MonitoredGroups {

  /** A monitored group with its lifetime figures. */
  record Monitored(
      UUID id,
      SessionId sessionId,
      String waGroupId,
      String name,
      String monitorMode,
      boolean active,
      long messagesProcessed,
      long leadsDetected,
      Instant lastMessageAt) {}

  /**
   * A WhatsApp group one of the tenant's numbers is in but that no monitoring covers.
   *
   * @param messagesInWindow messages seen in the group within the window asked for
   */
  record Unmonitored(
      SessionId sessionId,
      String waGroupId,
      String name,
      int memberCount,
      long messagesInWindow,
      Instant lastMessageAt) {}

  /** What one monitored group produced since a moment: messages, keyword matches and leads. */
  record Digest(
      UUID groupId,
      String name,
      long messages,
      long matches,
      long leadsDetected,
      List<KeywordCount> topKeywords) {}

  record KeywordCount(String keyword, long matches) {}

  List<Monitored> monitored(TenantId tenant);

  /** Unmonitored groups, most messages within {@code window} first, then most members. */
  List<Unmonitored> unmonitored(TenantId tenant, Duration window, int limit);

  /** Every monitored group's activity since {@code since}, most matches first. */
  List<Digest> digest(TenantId tenant, Instant since);
}
