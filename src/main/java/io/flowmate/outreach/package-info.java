/**
 * Outreach: custom groups (contact lists), bulk-send campaigns ({@code bpmn/outreach-campaign.bpmn}),
 * scheduled messages ({@code bpmn/outreach-scheduled-message.bpmn}) and follow-ups. Its processes
 * hold ids only; recipients and texts stay in PostgreSQL, and every send goes through messaging's
 * {@link io.flowmate.messaging.Outbox} and so through the number's send governor.
 */
@org.springframework.modulith.ApplicationModule(
    allowedDependencies = {"core", "admin", "gateway", "messaging", "messaging :: events", "workflow", "leads"})
package io.flowmate.outreach;
