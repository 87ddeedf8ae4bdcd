package io.flowmate.leads.events;

import io.flowmate.core.LeadId;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A message in a monitored group made its sender a lead, or showed an existing lead active again.
 * Ids only: read the lead through the leads API.
 *
 * @param groupId the monitored group (not the WhatsApp group id)
 * @param messageId messaging's id of the message that triggered it
 * @param matchedKeyword the group's keyword found first in the message; null when the mode (all,
 *     mentions, first_message, ai_analysis) triggered without one
 * @param newLead whether the lead was created now (else its status was left as it was)
 */
public record LeadDetected(
    TenantId tenantId,
    LeadId leadId,
    UUID groupId,
    SessionId sessionId,
    MessageId messageId,
    String matchedKeyword,
    boolean newLead,
    Instant detectedAt) {}
