package io.flowmate.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Analytics ({@code flowmate.analytics.*}).
 *
 * @param readModels the read models fed by messaging's events: campaign funnels, contact engagement
 *     and best send times
 * @param reports scheduled reports and the account health report
 */
@ConfigurationProperties("flowmate.analytics")
public record AnalyticsSettings(
    @DefaultValue ReadModels readModels, @DefaultValue Reports reports) {

  /**
   * @param enabled keep the read models up to date (off: messaging writes nothing for analytics,
   *     and a rebuild is needed after switching it on again)
   * @param rebuildOnFirstStart build the read models from the stored messages on the first start
   *     after analytics was installed (an existing database); later rebuilds through the API
   * @param rebuildBatch messages read per page during a rebuild
   * @param timezoneCacheTtl how long a tenant's time zone is remembered (a changed zone applies to
   *     messages after that)
   * @param quickRead a read within this time after sending counts as a quick read (send time)
   * @param minSlotSamples an hour of the week is ranked once this many messages were sent in it
   * @param minContactMessages a contact's own best send time needs this many messages sent to them
   *     (and one hour with {@code minSlotSamples}); below that the tenant's figure is given
   */
  public record ReadModels(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("true") boolean rebuildOnFirstStart,
      @DefaultValue("5000") int rebuildBatch,
      @DefaultValue("1m") Duration timezoneCacheTtl,
      @DefaultValue("1h") Duration quickRead,
      @DefaultValue("5") int minSlotSamples,
      @DefaultValue("20") int minContactMessages) {}

  /**
   * Scheduled reports and the account health report ({@code flowmate.analytics.reports.*}).
   *
   * @param reconcileInterval how often active and paused reports without a live process instance
   *     get one; the engine's start does it at once (read by the starter's {@code @Scheduled} as
   *     {@code ${flowmate.analytics.reports.reconcile-interval}})
   * @param minimumInterval a recurring report may not run more often (cron expressions)
   * @param missedGrace an occurrence due while Flowmate was down is still generated this late; an
   *     older one is recorded as {@code missed}
   * @param coldAfter an open lead with no activity for this long is going cold
   * @param vipMessages a contact with at least this many messages is a VIP
   * @param listLimit how many contacts, leads, groups or schedules a report or health section lists
   */
  public record Reports(
      @DefaultValue("1m") Duration reconcileInterval,
      @DefaultValue("5m") Duration minimumInterval,
      @DefaultValue("1h") Duration missedGrace,
      @DefaultValue("7d") Duration coldAfter,
      @DefaultValue("10") int vipMessages,
      @DefaultValue("10") int listLimit) {}
}
