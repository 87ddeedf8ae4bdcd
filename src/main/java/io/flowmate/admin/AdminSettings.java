package io.flowmate.admin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tenants and keys ({@code flowmate.admin.*}).
 *
 * @param bootstrapKey on first start, use this raw key ({@code fm_} + 32 or more base62 characters)
 *     for the operator's admin key instead of generating one; useful for scripted installs. Ignored
 *     once a tenant exists.
 * @param defaultTenantName name of the operator tenant created on first start
 * @param defaultPlan plan of the operator tenant (self-hosting: all features by default)
 * @param apiRateLimitEnabled apply the plan's API requests-per-minute limit
 * @param streamTicketTtl how long a stream ticket ({@code POST /api/v2/stream-ticket}) may wait
 *     before it opens its one event stream
 * @param streamTicketsPerKey unused tickets one key may hold at a time
 * @param resetOperatorKey on this start, issue a new admin key for the operator tenant and print it
 *     once, for an operator who lost the key; no key is revoked (revoke the lost one with the new)
 */
@ConfigurationProperties("flowmate.admin")
public record AdminSettings(
    String bootstrapKey,
    @DefaultValue("Default") String defaultTenantName,
    @DefaultValue("business") Plan defaultPlan,
    @DefaultValue("true") boolean apiRateLimitEnabled,
    @DefaultValue("60s") Duration streamTicketTtl,
    @DefaultValue("20") int streamTicketsPerKey,
    @DefaultValue("false") boolean resetOperatorKey) {}
