package io.flowmate.admin;

/**
 * What a plan allows. {@code null} numbers mean unlimited.
 *
 * @param messagesPerMinute outgoing WhatsApp messages per session in any 60-second window
 * @param apiRequestsPerMinute REST requests per tenant per minute
 */
public record PlanLimits(
    Plan plan,
    String displayName,
    int messagesPerMinute,
    int apiRequestsPerMinute,
    Integer messagesPerMonth,
    Integer maxSessions,
    Integer maxMonitoredGroups,
    Integer maxCustomGroups,
    Integer maxScheduledReports,
    boolean bulkSendEnabled,
    boolean scheduledMessagesEnabled,
    boolean aiEnabled,
    boolean reviewsEnabled,
    boolean a2aEnabled,
    boolean bulkLeadOperationsEnabled,
    boolean campaignAnalyticsEnabled) {

  /** Whether {@code current} more objects still leave room for one more under {@code limit}. */
  public static boolean allowsOneMore(Integer limit, long current) {
    return limit == null || current < limit;
  }
}
