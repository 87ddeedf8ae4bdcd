package io.flowmate.gateway.spi;

import java.time.Instant;

/**
 * What WhatsApp currently restricts for the account.
 *
 * @param reachoutLockedUntil new-contact messages are refused until then (error 463), or null
 * @param cappingStatus {@code NONE}, {@code FIRST_WARNING}, {@code SECOND_WARNING} or {@code
 *     CAPPED} (new-chat quota of the cycle), or null when unknown
 */
public record AccountHealth(
    String phoneNumber,
    String lid,
    String pushName,
    Instant reachoutLockedUntil,
    String cappingStatus,
    Integer quotaUsed,
    Integer quotaTotal) {}
