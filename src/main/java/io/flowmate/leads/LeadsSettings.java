package io.flowmate.leads;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Leads ({@code flowmate.leads.*}).
 *
 * @param scoring lead scoring
 * @param activity following the leads' conversations
 */
@ConfigurationProperties("flowmate.leads")
record LeadsSettings(@DefaultValue Scoring scoring, @DefaultValue Activity activity) {

  /**
   * Lead scoring ({@code flowmate.leads.scoring.*}).
   *
   * @param interval how often leads with new activity get a {@code leads-lead-scoring} instance
   *     (read by the starter's {@code @Scheduled} as {@code ${flowmate.leads.scoring.interval}})
   */
  record Scoring(@DefaultValue("2s") Duration interval) {}

  /**
   * Following the leads' conversations ({@code flowmate.leads.activity.*}).
   *
   * @param interval how often changed direct chats are read (as {@code
   *     ${flowmate.leads.activity.interval}})
   * @param lag how far behind the clock the sweep reads: longer than any transaction that records
   *     messages takes, so that none commits behind it
   * @param batch chats read and applied per statement
   */
  record Activity(
      @DefaultValue("2s") Duration interval, @DefaultValue("5s") Duration lag, @DefaultValue("1000") int batch) {}
}
