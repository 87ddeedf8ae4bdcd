/**
 * When recurring things fire: schedule types and statuses shared by scheduled messages and
 * scheduled reports, and {@link io.flowmate.core.schedule.Recurrence}, which computes occurrences
 * in the schedule's IANA time zone.
 */
package io.flowmate.core.schedule;
