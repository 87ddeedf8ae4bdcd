/**
 * Analytics and reports: read models kept up to date from other modules' events (campaign funnels,
 * contact engagement, best send time), the ten report templates with their schedules ({@code
 * bpmn/analytics-report.bpmn}), and the read-only account health report. It reads every module
 * through its public API and owns only its {@code analytics_*} tables; no module depends on it.
 *
 * <p>Having no API, the root holds only the module's settings; each feature is an internal
 * sub-package: {@code readmodel} (recorder, funnel, engagement, send time), {@code report}
 * (reports, templates, their process and workers) and {@code health} (the account health report).
 */
@org.springframework.modulith.ApplicationModule(
    allowedDependencies = {
      "core",
      "admin",
      "gateway",
      "messaging",
      "messaging :: events",
      "workflow",
      "outreach",
      "leads"
    })
package io.flowmate.analytics;
