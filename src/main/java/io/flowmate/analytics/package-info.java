/**
 * Analytics and reports: read models kept up to date from other modules' events (campaign funnels,
 * contact engagement, best send time), the ten report templates with their schedules ({@code
 * bpmn/analytics-report.bpmn}), and the read-only account health report. It reads every module
 * through its public API and owns only its {@code analytics_*} tables; no module depends on it.
 */
@org.springframework.modulith.ApplicationModule(
    allowedDependencies = {
      "core", "admin", "gateway", "messaging", "messaging :: events", "workflow", "outreach", "leads"
    })
package io.flowmate.analytics;
