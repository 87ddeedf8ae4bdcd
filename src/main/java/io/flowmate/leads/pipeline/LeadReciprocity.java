package io.flowmate.leads.pipeline;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Conversations;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Whether a lead has written to one of the tenant's numbers: the reciprocity check that decides
 * whether that number may write to them first (MoltFlow's {@code /leads/{id}/reciprocity}).
 */
@Service
class LeadReciprocity {

  private final LeadService leads;
  private final Sessions sessions;
  private final Conversations conversations;

  LeadReciprocity(LeadService leads, Sessions sessions, Conversations conversations) {
    this.leads = leads;
    this.sessions = sessions;
    this.conversations = conversations;
  }

  /**
   * @param lastInboundAt when the lead last wrote to the number in a direct chat, or null
   */
  record Answer(UUID leadId, UUID sessionId, boolean hasMessagedFirst, Instant lastInboundAt) {}

  Answer of(TenantId tenant, UUID leadId, UUID sessionId) {
    Lead lead = leads.get(tenant, leadId);
    UUID session = sessions.get(tenant, SessionId.of(sessionId)).id().value();
    Optional<Instant> lastWrote =
        conversations.lastWroteAt(tenant, SessionId.of(session), ChatId.parse(lead.contactPhone()));
    return new Answer(lead.id(), session, lastWrote.isPresent(), lastWrote.orElse(null));
  }
}
