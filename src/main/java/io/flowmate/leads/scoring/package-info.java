/**
 * Lead scoring: {@code bpmn/leads-lead-scoring.bpmn}, the starter that keeps one instance per lead
 * due for scoring, its workers, and the scorer they call. Internal to the leads module.
 */
package io.flowmate.leads.scoring;
