package io.flowmate.leads.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.messaging.Conversations;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The score's features one by one, their sum, the clamp to 1–10 and the reason a person reads. */
class LeadScorerTests {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final Conversations.Exchange NOTHING =
      new Conversations.Exchange(0, 0, null, null, null);

  private static LeadScorer.Score score(
      String keyword, String mode, String intent, Conversations.Exchange exchange, Duration quiet) {
    return LeadScorer.score(
        new LeadScorer.Signals(
            keyword, mode, intent, exchange, quiet == null ? null : NOW.minus(quiet)),
        NOW);
  }

  private static Conversations.Exchange exchange(
      int received, int sent, String firstOut, String lastIn) {
    return new Conversations.Exchange(
        received,
        sent,
        lastIn == null ? null : Instant.parse(lastIn),
        firstOut == null ? null : Instant.parse(firstOut),
        null);
  }

  @Test
  void aLeadWithoutSignalsHasTheBaseScore() {
    LeadScorer.Score score = score(null, null, null, NOTHING, null);

    assertThat(score.value()).isEqualTo(1);
    assertThat(score.reason()).isEqualTo("no signals yet: base score 1");
  }

  @Test
  void aPhraseWeighsMoreThanAKeywordAndAnyMessageLess() {
    assertThat(score("budget", "keywords", null, NOTHING, null).value()).isEqualTo(3);
    assertThat(score("looking for", "keywords", null, NOTHING, null).value()).isEqualTo(4);
    assertThat(score(null, "all", null, NOTHING, null).value()).isEqualTo(2);
    assertThat(score(null, "first_message", null, NOTHING, null).value()).isEqualTo(2);
    assertThat(score("budget", "keywords", null, NOTHING, null).reason())
        .isEqualTo("keyword +2 (matched 'budget') → 3/10");
  }

  @Test
  void intentAddsOrTakesPoints() {
    assertThat(score(null, null, "buying_intent", NOTHING, null).value()).isEqualTo(4);
    assertThat(score(null, null, "product_inquiry", NOTHING, null).value()).isEqualTo(3);
    assertThat(score(null, null, "support_request", NOTHING, null).value()).isEqualTo(1);
    assertThat(score("budget", null, "off_topic", NOTHING, null).value()).isEqualTo(2);
    assertThat(score("looking for", null, "spam_noise", NOTHING, null).value()).isEqualTo(2);
  }

  @Test
  void engagementCountsTheirMessagesInSteps() {
    assertThat(score(null, null, null, exchange(1, 0, null, null), null).value()).isEqualTo(2);
    assertThat(score(null, null, null, exchange(2, 0, null, null), null).value()).isEqualTo(2);
    assertThat(score(null, null, null, exchange(3, 0, null, null), null).value()).isEqualTo(3);
    assertThat(score(null, null, null, exchange(10, 0, null, null), null).value()).isEqualTo(4);
    assertThat(score(null, null, null, exchange(1, 0, null, null), null).reason())
        .contains("wrote 1 message in 30 days");
  }

  @Test
  void aReplyToUsCountsAndSilenceAfterTwoMessagesCostsAPoint() {
    Conversations.Exchange replied = exchange(1, 1, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z");
    Conversations.Exchange wroteFirstOnly =
        exchange(1, 2, "2026-11-20T10:00:00Z", "2026-11-19T11:00:00Z");
    Conversations.Exchange ignored = exchange(0, 2, "2026-11-20T10:00:00Z", null);
    Conversations.Exchange oneUnanswered = exchange(0, 1, "2026-11-20T10:00:00Z", null);

    assertThat(score(null, null, null, replied, null).value()).isEqualTo(1 + 1 + 2);
    assertThat(score(null, null, null, wroteFirstOnly, null).value()).isEqualTo(1 + 1 - 1);
    assertThat(score("budget", null, null, ignored, null).value()).isEqualTo(1 + 2 - 1);
    assertThat(score("budget", null, null, ignored, null).reason())
        .contains("no answer to our 2 messages");
    assertThat(score("budget", null, null, oneUnanswered, null).value()).isEqualTo(3);
  }

  @Test
  void recencyRewardsTheLastDayAndWeekAndPenalisesAMonthOfSilence() {
    assertThat(score("budget", null, null, NOTHING, Duration.ofHours(3)).value()).isEqualTo(5);
    assertThat(score("budget", null, null, NOTHING, Duration.ofDays(1)).value()).isEqualTo(5);
    assertThat(score("budget", null, null, NOTHING, Duration.ofDays(6)).value()).isEqualTo(4);
    assertThat(score("budget", null, null, NOTHING, Duration.ofDays(20)).value()).isEqualTo(3);
    assertThat(score("budget", null, null, NOTHING, Duration.ofDays(40)).value()).isEqualTo(2);
    assertThat(score("budget", null, null, NOTHING, Duration.ofDays(40)).reason())
        .contains("quiet for 40 days");
  }

  @Test
  void theSumIsClampedToOneToTen() {
    Conversations.Exchange engaged =
        exchange(12, 1, "2026-11-20T10:00:00Z", "2026-11-25T11:00:00Z");

    LeadScorer.Score hot =
        score("looking for", "keywords", "buying_intent", engaged, Duration.ofHours(1));
    LeadScorer.Score cold =
        score(
            null,
            null,
            "spam_noise",
            exchange(0, 3, "2026-09-01T10:00:00Z", null),
            Duration.ofDays(90));

    assertThat(hot.value()).isEqualTo(10);
    assertThat(hot.factors())
        .extracting(LeadScorer.Factor::feature)
        .containsExactly("keyword", "intent", "engagement", "replies", "recency");
    assertThat(hot.reason()).endsWith("→ 10/10");
    assertThat(cold.value()).isEqualTo(1);
  }
}
