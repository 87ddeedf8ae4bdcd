/** Chat labels, synced both ways with WhatsApp Business labels. */
package io.flowmate.messaging.labels;
