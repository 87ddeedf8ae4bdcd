/**
 * What group monitoring tells other modules (a scoring process, webhooks, reports): plain Spring
 * application events published after the detection batch committed, not persisted. {@link
 * io.flowmate.leads.events.GroupMessage} comes for every message of a monitored group, thousands a
 * second at peak: listen to it with a plain {@code @EventListener} that returns quickly, not with a
 * persisted {@code @ApplicationModuleListener}.
 */
@org.springframework.modulith.NamedInterface("events")
package io.flowmate.leads.events;
