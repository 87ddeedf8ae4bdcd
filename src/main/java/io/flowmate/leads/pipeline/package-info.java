/**
 * The lead pipeline: the {@link io.flowmate.leads.pipeline.Lead} aggregate, its statuses and the
 * transitions {@code dmn/leads-status-transition.dmn} allows, its activity and timeline, the REST
 * API and exports, and the sweep that moves quiet leads on. Internal to the leads module.
 */
package io.flowmate.leads.pipeline;
