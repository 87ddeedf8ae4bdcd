/**
 * Session liveness: the watchdog that restarts a session which stays {@code working} while WhatsApp
 * sends nothing, records why, and reports the session unhealthy when restarts do not help.
 */
package io.flowmate.gateway.liveness;
