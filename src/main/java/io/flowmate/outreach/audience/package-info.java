/**
 * Custom groups (contact lists) and their import, and what every outreach feature reads of them:
 * the {@link io.flowmate.outreach.audience.Audience} a send reaches and the {@link
 * io.flowmate.outreach.audience.MessageTemplate} that personalises its text. Internal to outreach.
 */
package io.flowmate.outreach.audience;
