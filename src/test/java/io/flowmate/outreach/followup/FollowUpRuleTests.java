package io.flowmate.outreach.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.core.api.ApiException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a rule's wait is read from a request and written back. */
class FollowUpRuleTests {

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          P3D,     , PT72H
          p3d,     , PT72H
          PT36H,   , PT36H
          P1DT12H, , PT36H
          PT1H,    , PT1H
          ,       3, PT72H
          ,      90, PT2160H
          """)
  void waitIsAnIsoDurationOrWholeDays(String wait, Integer waitDays, String expected) {
    assertThat(FollowUpRules.waitTime(wait, waitDays)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          ,           , exactly one of wait
          P3D,       3, exactly one of wait
          PT59M59S,   , between 1 hour
          P91D,       , between 1 hour
          P1W,        , not an ISO-8601 duration
          three days, , not an ISO-8601 duration
          """)
  void waitOutsideTheRulesIsRefusedWithAReason(String wait, Integer waitDays, String reason) {
    assertThatThrownBy(() -> FollowUpRules.waitTime(wait, waitDays))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          PT72H,   P3D
          PT36H,   P1DT12H
          PT1H,    PT1H
          PT90M,   PT1H30M
          PT2160H, P90D
          """)
  void waitIsShownAsClientsWriteIt(String wait, String shown) {
    assertThat(FollowUpController.iso(Duration.parse(wait))).isEqualTo(shown);
  }
}
