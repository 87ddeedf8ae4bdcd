/** Events the gateway publishes for other modules. */
@org.springframework.modulith.NamedInterface("events")
package io.flowmate.gateway.events;
