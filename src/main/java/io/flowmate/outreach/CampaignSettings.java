package io.flowmate.outreach;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bulk-send campaigns ({@code flowmate.outreach.campaigns.*}).
 *
 * @param delayMin default lower end of the random delay between two of a campaign's messages
 * @param delayMax default upper end of that delay
 * @param minimumDelay the shortest lower end a campaign may ask for (0 only for benchmarks)
 * @param maximumDelay the longest upper end a campaign may ask for
 * @param planBatch recipients planned into the outbox per job (one statement per 1,000)
 * @param progressInterval how often running campaigns are checked for completion and open progress
 *     streams for changes
 * @param approvalTimeout how long a campaign waits for approval before it is cancelled
 */
@ConfigurationProperties("flowmate.outreach.campaigns")
record CampaignSettings(
    @DefaultValue("30s") Duration delayMin,
    @DefaultValue("2m") Duration delayMax,
    @DefaultValue("30s") Duration minimumDelay,
    @DefaultValue("10m") Duration maximumDelay,
    @DefaultValue("5000") int planBatch,
    @DefaultValue("500ms") Duration progressInterval,
    @DefaultValue("72h") Duration approvalTimeout) {}
