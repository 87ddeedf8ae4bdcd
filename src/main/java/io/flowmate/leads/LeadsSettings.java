package io.flowmate.leads;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Leads ({@code flowmate.leads.*}).
 *
 * @param groups group monitoring and lead detection
 * @param scoring lead scoring
 * @param activity following the leads' conversations
 */
@ConfigurationProperties("flowmate.leads")
public record LeadsSettings(
    @DefaultValue Groups groups, @DefaultValue Scoring scoring, @DefaultValue Activity activity) {

  /**
   * Group monitoring ({@code flowmate.leads.groups.*}).
   *
   * @param detection whether messages of monitored groups are examined at all (off: they are not
   *     even queued; for measuring ingestion alone)
   * @param batchSize monitored-group messages examined together: one read, a few writes per batch
   * @param batchLinger how long detection waits for a batch to fill once a message is waiting: at
   *     thousands of messages a second, batches of a few messages each would cost a transaction
   *     (and a commit) per handful of messages; this is the most a lead's detection is delayed
   * @param queueCapacity messages waiting for detection; beyond it, ingestion waits up to {@code
   *     queueWait} for room, then the message is skipped (and logged)
   * @param queueWait see {@code queueCapacity}
   * @param catchUpLimit at start, the most messages per monitored group examined that arrived since
   *     the group's last examined message (while Flowmate was down, or stopped before examining
   *     them), oldest first
   * @param reloadInterval how often the monitored groups are re-read from the database, for changes
   *     made by another instance (this instance's own changes apply at once)
   * @param aiLeadScore the built-in classifier's lead score from which a buying or inquiring
   *     message in ai_analysis mode becomes a lead (1-10)
   * @param autoRespondNeedsReciprocity {@code auto_respond} writes to a new lead only if the lead
   *     has written to the number in a direct chat before (a first message to a stranger is what
   *     gets numbers banned); off only if the tenant accepts that risk
   */
  public record Groups(
      @DefaultValue("true") boolean detection,
      @DefaultValue("500") int batchSize,
      @DefaultValue("200ms") Duration batchLinger,
      @DefaultValue("100000") int queueCapacity,
      @DefaultValue("5s") Duration queueWait,
      @DefaultValue("10000") int catchUpLimit,
      @DefaultValue("1m") Duration reloadInterval,
      @DefaultValue("6") int aiLeadScore,
      @DefaultValue("true") boolean autoRespondNeedsReciprocity) {}

  /**
   * Lead scoring ({@code flowmate.leads.scoring.*}).
   *
   * @param interval how often leads with new activity get a {@code leads-lead-scoring} instance
   *     (read by the starter's {@code @Scheduled} as {@code ${flowmate.leads.scoring.interval}})
   * @param rescoreAfter how long a scored lead waits before new activity scores it again: a lead
   *     writing in busy groups would otherwise be scored after every message, and each scoring is a
   *     process instance. New leads are scored at once.
   */
  public record Scoring(
      @DefaultValue("2s") Duration interval, @DefaultValue("10m") Duration rescoreAfter) {}

  /**
   * Following the leads' conversations ({@code flowmate.leads.activity.*}).
   *
   * @param interval how often changed direct chats are read (as {@code
   *     ${flowmate.leads.activity.interval}})
   * @param lag how far behind the clock the sweep reads: longer than any transaction that records
   *     messages takes, so that none commits behind it
   * @param batch chats read and applied per statement
   */
  public record Activity(
      @DefaultValue("2s") Duration interval,
      @DefaultValue("5s") Duration lag,
      @DefaultValue("1000") int batch) {}
}
