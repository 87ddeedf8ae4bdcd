package io.flowmate.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An approval is decided once, from pending, and a decision is never changed. */
class ApprovalStatusTests {

  @Test
  void everyDecisionStartsFromPendingAndNothingReturnsToIt() {
    assertThat(ApprovalStatus.PENDING.reachableFrom()).isEmpty();
    for (ApprovalStatus decision :
        new ApprovalStatus[] {
          ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.EXPIRED
        }) {
      assertThat(decision.reachableFrom()).containsExactly(ApprovalStatus.PENDING);
    }
  }

  @Test
  void decidingADecidedApprovalSaysHowItWasDecided() {
    UUID id = UUID.fromString("00000000-0000-0000-0000-000000000007");

    assertThat(ApprovalStatus.EXPIRED.refusedDecision(id))
        .hasMessage("Approval '00000000-0000-0000-0000-000000000007' is already expired");
  }
}
