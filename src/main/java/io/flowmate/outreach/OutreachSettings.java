package io.flowmate.outreach;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outreach ({@code flowmate.outreach.*}).
 *
 * @param reconcileInterval how often unfinished schedules, campaigns and follow-ups without a live
 *     process instance get one; the engine's start does it at once (read by the reconcilers'
 *     {@code @Scheduled} as {@code ${flowmate.outreach.reconcile-interval}})
 * @param schedules scheduled messages
 * @param campaigns bulk-send campaigns
 * @param followUps follow-ups
 */
@ConfigurationProperties("flowmate.outreach")
public record OutreachSettings(
    @DefaultValue("1m") Duration reconcileInterval,
    @DefaultValue Schedules schedules,
    @DefaultValue Campaigns campaigns,
    @DefaultValue FollowUps followUps) {

  /**
   * Scheduled messages ({@code flowmate.outreach.schedules.*}).
   *
   * @param minimumInterval a recurring schedule may not fire more often (cron expressions)
   * @param missedGrace an occurrence that was due while Flowmate was down is still sent this late;
   *     an older one is recorded as {@code missed}
   * @param sendBatch custom-group members read and queued per statement at each occurrence
   */
  public record Schedules(
      @DefaultValue("5m") Duration minimumInterval,
      @DefaultValue("1h") Duration missedGrace,
      @DefaultValue("1000") int sendBatch) {}

  /**
   * Bulk-send campaigns ({@code flowmate.outreach.campaigns.*}).
   *
   * @param delayMin default lower end of the random delay between two of a campaign's messages
   * @param delayMax default upper end of that delay
   * @param minimumDelay the shortest lower end a campaign may ask for (0 only for benchmarks)
   * @param maximumDelay the longest upper end a campaign may ask for
   * @param planBatch recipients planned into the outbox per job (one statement per 1,000)
   * @param progressInterval how often running campaigns are checked for completion and open
   *     progress streams for changes
   * @param approvalTimeout how long a campaign waits for approval before it is cancelled
   */
  public record Campaigns(
      @DefaultValue("30s") Duration delayMin,
      @DefaultValue("2m") Duration delayMax,
      @DefaultValue("30s") Duration minimumDelay,
      @DefaultValue("10m") Duration maximumDelay,
      @DefaultValue("5000") int planBatch,
      @DefaultValue("500ms") Duration progressInterval,
      @DefaultValue("72h") Duration approvalTimeout) {}

  /**
   * Follow-ups ({@code flowmate.outreach.follow-ups.*}).
   *
   * @param sweepInterval how often the messages sent by numbers with active rules are examined for
   *     new follow-ups
   * @param triggerDelay how old a sent message must be before the sweep examines it: a message is
   *     recorded as sent a moment after WhatsApp accepted it, and the sweep must not pass it by
   * @param replyInterval how often replies noticed since the last time are handed to the follow-ups
   *     waiting for them
   * @param batchSize sent messages examined, and replies handed on, per query
   */
  public record FollowUps(
      @DefaultValue("5s") Duration sweepInterval,
      @DefaultValue("10s") Duration triggerDelay,
      @DefaultValue("1s") Duration replyInterval,
      @DefaultValue("500") int batchSize) {}
}
