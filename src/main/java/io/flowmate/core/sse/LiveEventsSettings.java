package io.flowmate.core.sse;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live event streams ({@code flowmate.live-events.*}).
 *
 * @param queueCapacity events one stream may have waiting to be sent; a client that falls this far
 *     behind is dropped (with a last {@code stream.dropped} event) instead of slowing anyone
 * @param maxStreamsPerTenant open streams one tenant may hold; one more gets 429
 * @param heartbeat how often an idle stream gets a comment, to keep proxies from closing it
 * @param shareAcrossInstances pass events between the Flowmate instances sharing the database
 *     (PostgreSQL LISTEN/NOTIFY), so a stream on any instance sees what happened on every one
 * @param announceInterval how often each instance tells the others which tenants it has streams
 *     for; an instance silent for three intervals is assumed gone
 */
@ConfigurationProperties("flowmate.live-events")
record LiveEventsSettings(
    @DefaultValue("1000") int queueCapacity,
    @DefaultValue("20") int maxStreamsPerTenant,
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("true") boolean shareAcrossInstances,
    @DefaultValue("10s") Duration announceInterval) {}
