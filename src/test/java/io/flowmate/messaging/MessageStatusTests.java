package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.core.api.IllegalTransitionException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The moves between a message's statuses, and the SQL conditions rendered from them. */
class MessageStatusTests {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # approved; rejected, expired or cancelled
          pending   | queued cancelled
          # paused; claimed by a send lane; the duplicate guard; cancelled
          queued    | held sending failed cancelled
          # resumed; the duplicate guard; cancelled
          held      | queued failed cancelled
          # given back to the queue; accepted by WhatsApp; refused
          sending   | queued sent failed
          # acks, possibly past a step, and error acks
          sent      | delivered read played failed
          delivered | read played failed
          read      | played failed
          played    | failed
          failed    |
          cancelled |
          received  |
          """)
  void eachStatusMovesOnlyToTheStatusesTheCodeMovesItTo(String from, String to) {
    Set<MessageStatus> expected =
        to == null
            ? EnumSet.noneOf(MessageStatus.class)
            : Arrays.stream(to.trim().split("\\s+"))
                .map(MessageStatus::of)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(MessageStatus.class)));
    MessageStatus status = MessageStatus.of(from.trim());

    Set<MessageStatus> reachable =
        Arrays.stream(MessageStatus.values())
            .filter(status::canMoveTo)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(MessageStatus.class)));

    assertThat(reachable).isEqualTo(expected);
  }

  @Test
  void acksOnlyMoveAMessageForward() {
    List<MessageStatus> acked =
        List.of(
            MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.PLAYED);
    for (MessageStatus from : acked) {
      for (MessageStatus to : acked) {
        assertThat(from.canMoveTo(to))
            .as("%s → %s", from, to)
            .isEqualTo(from.progress < to.progress);
      }
    }
  }

  @Test
  void aMoveTheTableDoesNotAllowIsRefusedWithTheReason() {
    assertThatThrownBy(() -> MessageStatus.READ.checkMoveTo(MessageStatus.QUEUED))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessage(
            "A message that is read cannot move to queued; only one that is pending, held or sending"
                + " can");
    assertThatThrownBy(() -> MessageStatus.QUEUED.checkMoveTo(MessageStatus.PENDING))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessage("A message cannot move to pending; it is only ever stored as such");

    MessageStatus.PENDING.checkMoveTo(MessageStatus.QUEUED);
  }

  @Test
  void rendersTheSqlConditionOfAMoveFromTheTable() {
    assertThat(MessageStatus.SENDING.whereMovableFrom("status", MessageStatus.QUEUED))
        .isEqualTo("status = 'queued'");
    assertThat(
            MessageStatus.CANCELLED.whereMovableFrom(
                "status", MessageStatus.PENDING, MessageStatus.QUEUED))
        .isEqualTo("status IN ('pending', 'queued')");
    assertThat(MessageStatus.CANCELLED.whereMovableFromAny("m.status"))
        .isEqualTo("m.status IN ('pending', 'queued', 'held')");
    assertThat(MessageStatus.SENT.sql()).isEqualTo("'sent'");
  }

  @Test
  void refusesToRenderAMoveTheTableDoesNotAllow() {
    assertThatThrownBy(() -> MessageStatus.QUEUED.whereMovableFrom("status", MessageStatus.SENT))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> MessageStatus.PENDING.whereMovableFromAny("status"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
