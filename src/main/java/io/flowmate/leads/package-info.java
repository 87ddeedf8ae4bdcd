/**
 * Leads and CRM: the tenant's leads and their pipeline ({@code new → contacted → qualified →
 * converted}, or {@code lost}). Every status change is decided by {@code
 * dmn/leads-status-transition.dmn}, evaluated on the engine, so that the policy can be changed in
 * Camunda Modeler without touching code.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"core", "admin", "gateway", "gateway :: events", "messaging", "messaging :: events", "workflow"})
package io.flowmate.leads;
