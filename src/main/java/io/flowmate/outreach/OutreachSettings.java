package io.flowmate.outreach;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outreach ({@code flowmate.outreach.*}).
 *
 * @param reconcileInterval how often unfinished schedules (and campaigns) without a live process
 *     instance get one; the engine's start does it at once (read by the reconcilers' {@code
 *     @Scheduled} as {@code ${flowmate.outreach.reconcile-interval}})
 * @param schedules scheduled messages
 */
@ConfigurationProperties("flowmate.outreach")
record OutreachSettings(@DefaultValue("1m") Duration reconcileInterval, @DefaultValue Schedules schedules) {

  /**
   * Scheduled messages ({@code flowmate.outreach.schedules.*}).
   *
   * @param minimumInterval a recurring schedule may not fire more often (cron expressions)
   * @param missedGrace an occurrence that was due while Flowmate was down is still sent this late;
   *     an older one is recorded as {@code missed}
   * @param sendBatch custom-group members read and queued per statement at each occurrence
   */
  record Schedules(
      @DefaultValue("5m") Duration minimumInterval,
      @DefaultValue("1h") Duration missedGrace,
      @DefaultValue("1000") int sendBatch) {}
}
