/** Receiving: messages, edits, reactions and votes that arrive in a number's chats. */
package io.flowmate.messaging.inbound;
