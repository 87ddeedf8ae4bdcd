package io.flowmate.analytics.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContactEngagementScoreTests {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  void nobodyWeNeverHeardFromScoresZero() {
    ContactEngagementScore score = ContactEngagementScore.of(0, 0, 0, null, NOW);

    assertThat(score.score()).isZero();
  }

  @Test
  void aContactWhoRepliesToEverythingOftenAndJustNowScoresTheMaximum() {
    ContactEngagementScore score = ContactEngagementScore.of(40, 30, 40, NOW, NOW);

    assertThat(score.replyPoints()).isEqualTo(40);
    assertThat(score.volumePoints()).isEqualTo(30);
    assertThat(score.recencyPoints()).isEqualTo(30);
    assertThat(score.score()).isEqualTo(100);
  }

  @Test
  void eachPartFollowsItsFormula() {
    ContactEngagementScore score =
        ContactEngagementScore.of(10, 4, 5, NOW.minus(Duration.ofDays(14)), NOW);

    // reply: 40 × 5/10; volume: 30 × ln(1 + 4 + 10/2) / ln(41); recency: 30 × 0.5^(14/14)
    assertThat(score.replyPoints()).isEqualTo(20);
    assertThat(score.volumePoints()).isCloseTo(30 * Math.log(10) / Math.log(41), within(0.05));
    assertThat(score.recencyPoints()).isEqualTo(15);
    assertThat(score.score()).isCloseTo(20 + 30 * Math.log(10) / Math.log(41) + 15, within(0.1));
  }

  @Test
  void recencyHalvesEveryTwoWeeksOfSilence() {
    double fresh = ContactEngagementScore.of(0, 1, 0, NOW, NOW).recencyPoints();
    double twoWeeks =
        ContactEngagementScore.of(0, 1, 0, NOW.minus(Duration.ofDays(14)), NOW).recencyPoints();
    double fourWeeks =
        ContactEngagementScore.of(0, 1, 0, NOW.minus(Duration.ofDays(28)), NOW).recencyPoints();

    assertThat(fresh).isEqualTo(30);
    assertThat(twoWeeks).isEqualTo(15);
    assertThat(fourWeeks).isEqualTo(7.5);
  }

  @Test
  void aReplyRateAboveOneAndAFutureTimeAreCapped() {
    ContactEngagementScore score = ContactEngagementScore.of(2, 1000, 5, NOW.plusSeconds(60), NOW);

    assertThat(score.replyPoints()).isEqualTo(40);
    assertThat(score.volumePoints()).isEqualTo(30);
    assertThat(score.recencyPoints()).isEqualTo(30);
  }

  @Test
  void whatTheyWriteWeighsMoreThanWhatTheyAreSent() {
    double writes = ContactEngagementScore.of(0, 6, 0, null, NOW).volumePoints();
    double isSent = ContactEngagementScore.of(6, 0, 0, null, NOW).volumePoints();

    assertThat(writes).isGreaterThan(isSent);
    assertThat(ContactEngagementScore.of(12, 0, 0, null, NOW).volumePoints()).isEqualTo(writes);
  }
}
