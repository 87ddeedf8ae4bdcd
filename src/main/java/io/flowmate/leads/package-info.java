/**
 * Leads and CRM: the tenant's leads and their pipeline ({@code new → contacted → qualified →
 * converted}, or {@code lost}). Every status change is decided by {@code
 * dmn/leads-status-transition.dmn}, evaluated on the engine, so that the policy can be changed in
 * Camunda Modeler without touching code.
 *
 * <p>The root holds the API other modules use ({@link io.flowmate.leads.Leads}, {@link
 * io.flowmate.leads.MonitoredGroups}, the {@code events}) and the module's settings; each feature
 * is an internal sub-package: {@code pipeline} (the lead aggregate and its lifecycle), {@code
 * groups} (group monitoring and lead detection) and {@code scoring} (the scoring process and its
 * workers).
 */
@org.springframework.modulith.ApplicationModule(
    allowedDependencies = {
      "core",
      "admin",
      "gateway",
      "gateway :: events",
      "messaging",
      "messaging :: events",
      "workflow"
    })
package io.flowmate.leads;
