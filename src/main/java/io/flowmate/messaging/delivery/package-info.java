/**
 * Delivery: acks move outgoing messages forward (sent, delivered, read, played), never backwards.
 */
package io.flowmate.messaging.delivery;
