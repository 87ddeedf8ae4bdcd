package io.flowmate.leads;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Leads ({@code flowmate.leads.*}).
 *
 * @param groups group monitoring and lead detection
 */
@ConfigurationProperties("flowmate.leads")
record LeadsSettings(@DefaultValue Groups groups) {

  /**
   * Group monitoring ({@code flowmate.leads.groups.*}).
   *
   * @param detection whether messages of monitored groups are examined at all (off: they are not
   *     even queued; for measuring ingestion alone)
   * @param batchSize monitored-group messages examined together: one read, a few writes per batch
   * @param queueCapacity messages waiting for detection; beyond it, ingestion waits up to {@code
   *     queueWait} for room, then the message is skipped (and logged)
   * @param queueWait see {@code queueCapacity}
   * @param reloadInterval how often the monitored groups are re-read from the database, for
   *     changes made by another instance (this instance's own changes apply at once)
   * @param aiLeadScore the built-in classifier's lead score from which a buying or inquiring
   *     message in ai_analysis mode becomes a lead (1-10)
   * @param autoRespondNeedsReciprocity {@code auto_respond} writes to a new lead only if the lead
   *     has written to the number in a direct chat before (a first message to a stranger is what
   *     gets numbers banned); off only if the tenant accepts that risk
   */
  record Groups(
      @DefaultValue("true") boolean detection,
      @DefaultValue("500") int batchSize,
      @DefaultValue("100000") int queueCapacity,
      @DefaultValue("5s") Duration queueWait,
      @DefaultValue("1m") Duration reloadInterval,
      @DefaultValue("6") int aiLeadScore,
      @DefaultValue("true") boolean autoRespondNeedsReciprocity) {}
}
