package io.flowmate.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Analytics ({@code flowmate.analytics.*}).
 *
 * @param readModels the read models fed by messaging's events: campaign funnels, contact
 *     engagement and best send times
 */
@ConfigurationProperties("flowmate.analytics")
record AnalyticsSettings(@DefaultValue ReadModels readModels) {

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
  record ReadModels(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("true") boolean rebuildOnFirstStart,
      @DefaultValue("5000") int rebuildBatch,
      @DefaultValue("1m") Duration timezoneCacheTtl,
      @DefaultValue("1h") Duration quickRead,
      @DefaultValue("5") int minSlotSamples,
      @DefaultValue("20") int minContactMessages) {}
}
