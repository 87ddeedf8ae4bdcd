package io.flowmate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What the API may do with a session in each state. */
class SessionStatusTests {

  @Test
  void onlyAStoppedOrFailedSessionIsOpenedByAStart() {
    assertThat(Arrays.stream(SessionStatus.values()).filter(SessionStatus::needsOpening))
        .containsExactlyInAnyOrder(SessionStatus.STOPPED, SessionStatus.FAILED);
  }

  @Test
  void onlyASessionShowingAQrCodeCanBePaired() {
    assertThat(Arrays.stream(SessionStatus.values()).filter(SessionStatus::awaitsPairing))
        .containsExactly(SessionStatus.QR_CODE);
  }
}
