package io.flowmate.gateway.simulator;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids the simulated WhatsApp gives messages and groups, shaped like WhatsApp's and unique
 * across starts: the database keeps the ids of earlier starts (a message's WhatsApp id is unique
 * per number), so a counter that began at 1 again would hand out ids already stored.
 *
 * <p>A message id is {@code 3EB0} and 28 hex digits, as WhatsApp Web writes them: this start's time
 * in milliseconds (12 digits), a random number drawn at the start (8) and a counter (8). A group id
 * is WhatsApp's {@code 120363} and 12 digits counting up from a random point drawn at the start.
 */
final class SimulatedIds {

  private static final long GROUP_DIGITS = 1_000_000_000_000L;

  private final String messagePrefix;
  private final long groupBase;
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong groups = new AtomicLong();

  SimulatedIds(Instant start) {
    SecureRandom random = new SecureRandom();
    HexFormat hex = HexFormat.of().withUpperCase();
    this.messagePrefix =
        "3EB0"
            + hex.toHexDigits(start.toEpochMilli()).substring(4)
            + hex.toHexDigits(random.nextInt());
    this.groupBase = Math.floorMod(random.nextLong(), GROUP_DIGITS);
  }

  /** A new message id, without the {@code true_<chat>_} WhatsApp puts in front of it. */
  String message() {
    return messagePrefix
        + HexFormat.of().withUpperCase().toHexDigits((int) messages.incrementAndGet());
  }

  /** A new group's chat id. */
  String group() {
    long digits = Math.floorMod(groupBase + groups.incrementAndGet(), GROUP_DIGITS);
    return String.format(Locale.ROOT, "120363%012d@g.us", digits);
  }
}
