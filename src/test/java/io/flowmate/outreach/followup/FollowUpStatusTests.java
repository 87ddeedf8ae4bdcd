package io.flowmate.outreach.followup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A follow-up ends once, from waiting, and never waits again. */
class FollowUpStatusTests {

  @Test
  void onlyAWaitingFollowUpEnds() {
    assertThat(FollowUpStatus.WAITING.reachableFrom()).isEmpty();
    assertThat(FollowUpStatus.REPLIED.reachableFrom()).containsExactly(FollowUpStatus.WAITING);
    assertThat(FollowUpStatus.COMPLETED.reachableFrom()).containsExactly(FollowUpStatus.WAITING);
    assertThat(FollowUpStatus.CANCELLED.reachableFrom()).containsExactly(FollowUpStatus.WAITING);
  }
}
