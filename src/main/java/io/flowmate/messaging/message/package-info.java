/**
 * The stored message, its kinds, and how a row of {@code messaging_message} is read; shared by the
 * features.
 */
package io.flowmate.messaging.message;
