package io.flowmate.gateway.spi;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Implemented by the module that hands messages to the transport (messaging): which of a session's
 * messages WhatsApp accepted but never acknowledged. The gateway's liveness watchdog asks it to
 * tell a quiet number (nothing sent, nothing to hear) from a silent one (messages went out, nothing
 * came back).
 */
public interface OutstandingSends {

  /**
   * When the oldest message of the session that was handed to WhatsApp after {@code since} was
   * handed over, if it has had no ack of any kind yet.
   */
  Optional<Instant> oldestUnacknowledgedSince(UUID sessionId, Instant since);
}
