/**
 * What messaging tells other modules (persisted by Spring Modulith until every listener succeeded).
 */
@org.springframework.modulith.NamedInterface("events")
package io.flowmate.messaging.events;
