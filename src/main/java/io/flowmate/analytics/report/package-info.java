/**
 * Reports: the {@link io.flowmate.analytics.report.Report} aggregate with its templates, runs and
 * schedules, {@code bpmn/analytics-report.bpmn} with its starter and workers, and the figures and
 * text a report is written from. Internal to the analytics module.
 */
package io.flowmate.analytics.report;
