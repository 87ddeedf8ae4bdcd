package io.flowmate.messaging;

/**
 * Where a message stands. Outgoing: {@code pending} (awaiting approval) → {@code queued} (or {@code
 * held} while the campaign or schedule that queued it is paused) → {@code sent} → {@code delivered}
 * → {@code read} → {@code played}, or {@code failed} / {@code cancelled} with a reason. Incoming:
 * {@code received}.
 */
public enum MessageStatus {
  PENDING(0),
  QUEUED(1),
  /** Queued by a campaign or schedule that is paused: kept out of the dispatcher's reach. */
  HELD(1),
  /** Claimed by the dispatcher; shown as {@code queued} in the API. */
  SENDING(1),
  SENT(2),
  DELIVERED(3),
  READ(4),
  PLAYED(5),
  FAILED(9),
  CANCELLED(9),
  RECEIVED(9);

  /** Acks only ever move a message forward: a late "delivered" never undoes "read". */
  public final int progress;

  MessageStatus(int progress) {
    this.progress = progress;
  }

  public String value() {
    return name().toLowerCase();
  }

  public static MessageStatus of(String value) {
    return valueOf(value.toUpperCase());
  }

  /** The status clients see: the dispatcher's claim is an internal detail of "queued". */
  public MessageStatus visible() {
    return this == SENDING ? QUEUED : this;
  }
}
