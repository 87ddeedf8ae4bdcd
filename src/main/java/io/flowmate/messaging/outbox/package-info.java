/**
 * Sending: the API, the policy and governor checks, the outbox and its claims, the send lanes, and
 * the require_approval gate.
 */
package io.flowmate.messaging.outbox;
