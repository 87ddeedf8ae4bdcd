/**
 * The one schedule concept that scheduled messages (outreach) and scheduled reports (analytics)
 * share; each keeps its own table. {@link io.flowmate.core.schedule.Recurrence} computes when a
 * schedule fires in its IANA time zone, {@link io.flowmate.core.schedule.ScheduleTiming} parses and
 * patches the API's timing fields, {@link io.flowmate.core.schedule.ScheduleLifecycle} moves a row
 * between active, paused and cancelled (409 otherwise) and pages its history, and {@link
 * io.flowmate.core.schedule.OccurrencePlanner} decides, for the row's process, which occurrence
 * comes next and whether one that fired is still due and the job's tenant's.
 */
package io.flowmate.core.schedule;
