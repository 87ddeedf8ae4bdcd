package io.flowmate.gateway.spi;

import io.flowmate.core.ChatId;

/** A WhatsApp group the session's number belongs to. */
public record GroupSummary(ChatId id, String subject, String description, int participantCount) {}
