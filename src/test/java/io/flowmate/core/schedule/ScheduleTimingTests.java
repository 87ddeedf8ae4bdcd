package io.flowmate.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.core.InvalidValueException;
import io.flowmate.core.api.ApiException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * The API's timing fields, parsed on create and patched on edit the same way for every kind of
 * schedule.
 */
class ScheduleTimingTests {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aCreateReadsTheTimeInTheZoneAndStripsTheCronExpression() {
    ScheduleTiming timing =
        ScheduleTiming.parse("weekly", "2026-03-02T13:00:00Z", " 0 9 * * 1 ", "Europe/Berlin", "?");

    assertThat(timing)
        .isEqualTo(
            new ScheduleTiming(
                ScheduleType.WEEKLY, BERLIN, LocalDateTime.parse("2026-03-02T14:00"), "0 9 * * 1"));
    assertThat(ScheduleTiming.parse("once", "2026-03-02T09:00", "  ", null, "?"))
        .isEqualTo(
            new ScheduleTiming(
                ScheduleType.ONE_TIME,
                ZoneId.of("UTC"),
                LocalDateTime.parse("2026-03-02T09:00"),
                null));
  }

  @Test
  void aCreateWithoutAScheduleTypeIsRefusedWithTheCallersSentence() {
    assertThatThrownBy(() ->
            ScheduleTiming.parse(" ", null, null, null, "schedule_type is required: daily, ..."))
        .isInstanceOf(ApiException.class)
        .hasMessage("schedule_type is required: daily, ...");
    assertThatThrownBy(() -> ScheduleTiming.parse("hourly", null, null, null, "?"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining(
            "schedule_type must be one of one_time, daily, weekly, monthly, cron");
  }

  @Test
  void anEditKeepsWhatItDoesNotNameAndABlankCronRemovesIt() {
    ScheduleTiming daily =
        new ScheduleTiming(
            ScheduleType.DAILY, BERLIN, LocalDateTime.parse("2026-03-02T09:00"), "0 9 * * *");

    assertThat(daily.patch(null, null, null, null)).isEqualTo(daily);
    assertThat(daily.patch(null, null, "", null).cronExpression()).isNull();
    assertThat(daily.patch(null, null, "0 10 * * *", null).cronExpression())
        .isEqualTo("0 10 * * *");
  }

  @Test
  void anEditReadsANewTimeInTheNewZoneAndAScheduleMadeOneTimeDropsItsCron() {
    ScheduleTiming daily =
        new ScheduleTiming(
            ScheduleType.DAILY, BERLIN, LocalDateTime.parse("2026-03-02T09:00"), "0 9 * * *");

    ScheduleTiming once = daily.patch("one_time", "2026-03-05T12:00:00Z", null, "America/New_York");

    assertThat(once)
        .isEqualTo(
            new ScheduleTiming(
                ScheduleType.ONE_TIME,
                ZoneId.of("America/New_York"),
                LocalDateTime.parse("2026-03-05T07:00"),
                null));
  }
}
