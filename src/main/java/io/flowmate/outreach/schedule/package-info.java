/**
 * Scheduled messages ({@code bpmn/outreach-scheduled-message.bpmn}): aggregate, API, occurrences,
 * process and workers. Internal to outreach.
 */
package io.flowmate.outreach.schedule;
