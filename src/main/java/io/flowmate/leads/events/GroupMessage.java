package io.flowmate.leads.events;

import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A message arrived in a monitored group and detection processed it (the reference API's {@code
 * group.message}). Ids only, never the text.
 *
 * @param groupId the monitored group (not the WhatsApp group id)
 * @param matchedKeyword the group's keyword found first in the message, or null
 */
public record GroupMessage(
    TenantId tenantId,
    SessionId sessionId,
    UUID groupId,
    MessageId messageId,
    String matchedKeyword,
    Instant at) {}
