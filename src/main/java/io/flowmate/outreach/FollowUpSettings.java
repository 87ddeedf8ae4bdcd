package io.flowmate.outreach;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Follow-ups ({@code flowmate.outreach.follow-ups.*}).
 *
 * @param sweepInterval how often the messages sent by numbers with active rules are examined for
 *     new follow-ups
 * @param triggerDelay how old a sent message must be before the sweep examines it: a message is
 *     recorded as sent a moment after WhatsApp accepted it, and the sweep must not pass it by
 * @param replyInterval how often replies noticed since the last time are handed to the follow-ups
 *     waiting for them
 * @param reconcileInterval how often waiting follow-ups without a live process instance (the
 *     engine was unreachable or restarted) get one
 * @param batchSize sent messages examined, and replies handed on, per query
 */
@ConfigurationProperties("flowmate.outreach.follow-ups")
record FollowUpSettings(
    @DefaultValue("5s") Duration sweepInterval,
    @DefaultValue("10s") Duration triggerDelay,
    @DefaultValue("1s") Duration replyInterval,
    @DefaultValue("1m") Duration reconcileInterval,
    @DefaultValue("500") int batchSize) {}
