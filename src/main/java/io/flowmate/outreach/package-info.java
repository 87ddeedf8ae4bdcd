/**
 * Outreach: custom groups (contact lists), bulk-send campaigns ({@code
 * bpmn/outreach-campaign.bpmn}), scheduled messages ({@code bpmn/outreach-scheduled-message.bpmn})
 * and follow-ups. Its processes hold ids only; recipients and texts stay in PostgreSQL, and every
 * send goes through messaging's {@link io.flowmate.messaging.Outbox} and so through the number's
 * send governor.
 *
 * <p>One sub-package per feature: {@code audience} (custom groups, the members a send reaches,
 * message templates), {@code campaign}, {@code schedule} and {@code followup}. Sub-packages are
 * internal; other modules see only the facades here: {@link Campaigns}, {@link OutreachFigures}.
 */
@org.springframework.modulith.ApplicationModule(
    allowedDependencies = {
      "core",
      "admin",
      "gateway",
      "messaging",
      "messaging :: events",
      "workflow",
      "leads"
    })
package io.flowmate.outreach;
