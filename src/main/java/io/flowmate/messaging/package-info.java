/**
 * Messages in and out: the outbox with idempotency keys, dispatch through the transport, delivery
 * tracking from acks, inbound messages, and the require_approval gate ({@code
 * bpmn/messaging-approval.bpmn}).
 */
@org.springframework.modulith.ApplicationModule(
    allowedDependencies = {
      "core",
      "admin",
      "gateway",
      "gateway :: spi",
      "gateway :: events",
      "workflow"
    })
package io.flowmate.messaging;
