package io.flowmate.leads.groups;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A WhatsApp group one of the tenant's numbers watches for leads, with its lifetime figures.
 *
 * @param keywords as the tenant wrote them (matching ignores case, accents and punctuation)
 * @param monitoringSince when monitoring (re)started: {@code first_message} counts senders from
 *     here
 */
record MonitoredGroup(
    UUID id,
    TenantId tenantId,
    UUID sessionId,
    ChatId waGroupId,
    String name,
    boolean active,
    MonitorMode mode,
    List<String> keywords,
    Script script,
    long messagesProcessed,
    long leadsDetected,
    Instant lastMessageAt,
    Instant monitoringSince,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * What to do besides detecting (MoltFlow's group_monitor.py fields).
   *
   * @param monitorPrompt what the tenant is looking for, in their words (ai_analysis)
   * @param autoRespond send {@code responseTemplate} to a new lead's direct chat when reciprocity
   *     allows it
   * @param autoLabelLeads a new lead's direct chat gets {@code leadLabelId}
   * @param webhookUrl stored for the webhooks module; not called yet
   */
  record Script(
      String monitorPrompt,
      boolean autoRespond,
      String responseTemplate,
      boolean autoLabelLeads,
      UUID leadLabelId,
      String webhookUrl) {

    static final Script NONE = new Script(null, false, null, false, null, null);
  }
}
