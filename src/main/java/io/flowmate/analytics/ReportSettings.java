package io.flowmate.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Scheduled reports and the account health report ({@code flowmate.analytics.reports.*}).
 *
 * @param reconcileInterval how often active and paused reports without a live process instance get
 *     one; the engine's start does it at once (read by the starter's {@code @Scheduled} as {@code
 *     ${flowmate.analytics.reports.reconcile-interval}})
 * @param minimumInterval a recurring report may not run more often (cron expressions)
 * @param missedGrace an occurrence due while Flowmate was down is still generated this late; an
 *     older one is recorded as {@code missed}
 * @param coldAfter an open lead with no activity for this long is going cold
 * @param vipMessages a contact with at least this many messages is a VIP
 * @param listLimit how many contacts, leads, groups or schedules a report or health section lists
 */
@ConfigurationProperties("flowmate.analytics.reports")
record ReportSettings(
    @DefaultValue("1m") Duration reconcileInterval,
    @DefaultValue("5m") Duration minimumInterval,
    @DefaultValue("1h") Duration missedGrace,
    @DefaultValue("7d") Duration coldAfter,
    @DefaultValue("10") int vipMessages,
    @DefaultValue("10") int listLimit) {}
