/**
 * Follow-ups ({@code bpmn/outreach-follow-up.bpmn}): rules, triggers, replies, process and workers.
 * Internal.
 */
package io.flowmate.outreach.followup;
