/**
 * Bulk-send campaigns ({@code bpmn/outreach-campaign.bpmn}): aggregate, API, process and workers.
 * Internal.
 */
package io.flowmate.outreach.campaign;
