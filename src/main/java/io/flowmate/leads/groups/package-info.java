/**
 * Group monitoring: which WhatsApp groups a tenant watches and how, the keyword automaton and
 * intent classifier that read every group message, and lead detection with its auto-label and
 * auto-reply. Internal to the leads module; other modules read it through {@link
 * io.flowmate.leads.MonitoredGroups}.
 */
package io.flowmate.leads.groups;
