/**
 * The read models: the recorder that keeps campaign funnels, contact engagement and send-time slots
 * up to date from other modules' events, their rebuild, and the REST endpoints that read them.
 * Internal to the analytics module.
 */
package io.flowmate.analytics.readmodel;
