/**
 * Conversations: chats, contacts and groups as the numbers see them, and the read-only queries on
 * messages.
 */
package io.flowmate.messaging.chats;
