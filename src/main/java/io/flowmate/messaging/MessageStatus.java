package io.flowmate.messaging;

import io.flowmate.core.api.IllegalTransitionException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a message stands. Outgoing: {@code pending} (awaiting approval) → {@code queued} (or {@code
 * held} while the campaign or schedule that queued it is paused) → {@code sent} → {@code delivered}
 * → {@code read} → {@code played}, or {@code failed} / {@code cancelled} with a reason. Incoming:
 * {@code received}. {@link #reachableFrom()} is the one table of the moves between them; the SQL
 * that moves messages renders its conditions from it ({@link #whereMovableFrom}).
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

  /**
   * The statuses a message may move to this one from, the only place that says so. A message is
   * stored as {@code pending}, {@code queued} or {@code held} when sent through Flowmate, as {@code
   * sent} when typed on the phone, as {@code received} when it came in; from there:
   *
   * <ul>
   *   <li>an approval queues a pending message; a paused origin holds its queued messages and
   *       queues them again on resume;
   *   <li>a send lane claims a queued message ({@code sending}), then records it sent or failed, or
   *       gives it back to the queue;
   *   <li>acks move a sent message forward only, possibly past a step ({@code sent → read}), and an
   *       error ack fails it at any step;
   *   <li>the duplicate guard fails a queued or held message; a message that has not been claimed
   *       can be cancelled.
   * </ul>
   *
   * {@code failed}, {@code cancelled} and {@code received} are final.
   */
  public List<MessageStatus> reachableFrom() {
    return switch (this) {
      case PENDING, RECEIVED -> List.of();
      case QUEUED -> List.of(PENDING, HELD, SENDING);
      case HELD, SENDING -> List.of(QUEUED);
      case SENT -> List.of(SENDING);
      case DELIVERED -> List.of(SENT);
      case READ -> List.of(SENT, DELIVERED);
      case PLAYED -> List.of(SENT, DELIVERED, READ);
      case FAILED -> List.of(QUEUED, HELD, SENDING, SENT, DELIVERED, READ, PLAYED);
      case CANCELLED -> List.of(PENDING, QUEUED, HELD);
    };
  }

  public boolean canMoveTo(MessageStatus next) {
    return next.reachableFrom().contains(this);
  }

  /**
   * Checks a move.
   *
   * @throws IllegalTransitionException if the table does not allow it (409 with the reason)
   */
  public void checkMoveTo(MessageStatus next) {
    if (!canMoveTo(next)) {
      List<MessageStatus> allowed = next.reachableFrom();
      throw new IllegalTransitionException(
          allowed.isEmpty()
              ? "A message cannot move to %s; it is only ever stored as such"
                  .formatted(next.value())
              : "A message that is %s cannot move to %s; only one that is %s can"
                  .formatted(value(), next.value(), names(allowed)));
    }
  }

  /**
   * The SQL condition for a move to this status from some of the statuses it may be reached from:
   * {@code column = 'queued'}, or {@code column IN ('pending', 'queued')}. Build statements with it
   * once, into constants.
   *
   * @throws IllegalTransitionException if the table does not allow one of the moves
   */
  public String whereMovableFrom(String column, MessageStatus... from) {
    if (from.length == 0) {
      throw new IllegalArgumentException("name the statuses the move starts from");
    }
    for (MessageStatus status : from) {
      status.checkMoveTo(this);
    }
    return from.length == 1
        ? "%s = '%s'".formatted(column, from[0].value())
        : "%s IN (%s)"
            .formatted(
                column,
                java.util.Arrays.stream(from)
                    .map(status -> "'" + status.value() + "'")
                    .collect(Collectors.joining(", ")));
  }

  /** {@link #whereMovableFrom} with every status this one may be reached from. */
  public String whereMovableFromAny(String column) {
    return whereMovableFrom(column, reachableFrom().toArray(MessageStatus[]::new));
  }

  /** This status as a SQL literal, for the {@code SET} of a move. */
  public String sql() {
    return "'" + value() + "'";
  }

  private static String names(List<MessageStatus> statuses) {
    List<String> names = statuses.stream().map(MessageStatus::value).toList();
    return names.size() == 1
        ? names.getFirst()
        : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
  }
}
