package io.flowmate.leads.groups;

import io.flowmate.core.ChatId;
import io.flowmate.leads.LeadsSettings;
import io.flowmate.leads.events.LeadDetected;
import io.flowmate.leads.pipeline.Lead;
import io.flowmate.leads.pipeline.LeadRepository;
import io.flowmate.messaging.Conversations;
import io.flowmate.messaging.Outbox;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A monitored group's {@code auto_respond}: its {@code response_template} goes to a new lead's
 * direct chat through the outbox (so the send governor paces it and applies opt-outs and the
 * tenant's policies), once per lead (the idempotency key is the lead's id). By default only to a
 * lead who has written to the number before: writing first to a stranger found in a group is what
 * gets numbers reported and banned ({@code flowmate.leads.groups.auto-respond-needs-reciprocity}).
 */
@Component
class GroupAutoResponder {

  static final String ORIGIN_KIND = "group_auto_respond";
  private static final Logger log = LoggerFactory.getLogger(GroupAutoResponder.class);

  private final Conversations conversations;
  private final Outbox outbox;
  private final LeadRepository leads;
  private final LeadsSettings.Groups settings;

  GroupAutoResponder(
      Conversations conversations, Outbox outbox, LeadRepository leads, LeadsSettings settings) {
    this.conversations = conversations;
    this.outbox = outbox;
    this.leads = leads;
    this.settings = settings.groups();
  }

  /** Answers a lead just detected in the group, if the group asks for it and reciprocity allows. */
  void respond(GroupWatch.Watched group, LeadDetected detected) {
    MonitoredGroup.Script script = group == null ? null : group.script();
    if (script == null || !script.autoRespond() || script.responseTemplate() == null) {
      return;
    }
    try {
      Lead lead = leads.find(detected.tenantId(), detected.leadId().value()).orElse(null);
      if (lead == null) {
        return;
      }
      ChatId chat = ChatId.parse(lead.contactPhone());
      if (settings.autoRespondNeedsReciprocity()
          && conversations.lastWroteAt(detected.tenantId(), detected.sessionId(), chat).isEmpty()) {
        log.debug("Lead {} has not written to the number first: no automatic answer", lead.id());
        return;
      }
      outbox.enqueue(
          new Outbox.Batch(
              detected.tenantId(),
              detected.sessionId(),
              new Outbox.Origin(ORIGIN_KIND, group.groupId()),
              List.of(
                  new Outbox.Outgoing(
                      chat,
                      Outbox.Content.text(script.responseTemplate()),
                      "lead-auto-respond:" + lead.id())),
              false,
              false,
              null));
    } catch (RuntimeException e) {
      // The type only: messages of these failures quote the contact's number.
      log.warn(
          "Could not answer lead {} automatically: {}",
          detected.leadId(),
          e.getClass().getSimpleName());
    }
  }
}
