package io.flowmate.leads.groups;

import io.flowmate.core.ChatId;
import io.flowmate.leads.events.LeadDetected;
import io.flowmate.leads.pipeline.LeadRepository;
import io.flowmate.messaging.ChatLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A monitored group's {@code auto_label_leads}: a new lead's direct chat on the number gets the
 * group's {@code lead_label_id}, so the lead is found by label in Flowmate and, for labels synced
 * to a WhatsApp Business number, on the phone. A label deleted since only leaves a warning.
 */
@Component
class GroupAutoLabeler {

  private static final Logger log = LoggerFactory.getLogger(GroupAutoLabeler.class);

  private final ChatLabels labels;
  private final LeadRepository leads;

  GroupAutoLabeler(ChatLabels labels, LeadRepository leads) {
    this.labels = labels;
    this.leads = leads;
  }

  /** Labels a lead just detected in the group, if the group asks for it. */
  void label(GroupWatch.Watched group, LeadDetected detected) {
    MonitoredGroup.Script script = group == null ? null : group.script();
    if (script == null || !script.autoLabelLeads() || script.leadLabelId() == null) {
      return;
    }
    try {
      leads
          .find(detected.tenantId(), detected.leadId().value())
          .ifPresent(lead ->
              labels.add(
                  detected.tenantId(),
                  detected.sessionId(),
                  ChatId.parse(lead.contactPhone()),
                  script.leadLabelId()));
    } catch (RuntimeException e) {
      // The type only: messages of these failures quote the contact's number.
      log.warn(
          "Could not label lead {} automatically: {}",
          detected.leadId(),
          e.getClass().getSimpleName());
    }
  }
}
