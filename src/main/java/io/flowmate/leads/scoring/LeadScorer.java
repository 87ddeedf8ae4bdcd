package io.flowmate.leads.scoring;

import io.flowmate.messaging.Conversations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Scores a lead from 1 to 10 from features a person can check, and says why. Each feature adds or
 * takes points from a base of 1; the sum is clamped to 1–10:
 *
 * <ul>
 *   <li><b>Keyword strength</b>: the message that made it a lead matched a keyword (+2), a phrase
 *       of several words (+3, more specific), or was taken for any message of the group (+1).
 *   <li><b>Intent</b>, when an analysis of the triggering message gave one: buying intent +3,
 *       product inquiry +2, support request or complaint +0, off topic −1, spam −2.
 *   <li><b>Engagement</b>: messages the person wrote to the tenant's numbers in the last 30 days:
 *       1–2 → +1, 3–9 → +2, 10 or more → +3.
 *   <li><b>Reply behaviour</b>: wrote back after we first wrote → +2; we wrote twice or more and
 *       never got an answer → −1.
 *   <li><b>Recency</b> of the lead's last activity: within a day +2, within a week +1, older than
 *       30 days −1.
 * </ul>
 */
final class LeadScorer {

  static final int MIN = 1;
  static final int MAX = 10;

  /** How far back engagement is counted. */
  static final Duration ENGAGEMENT_WINDOW = Duration.ofDays(30);

  private LeadScorer() {}

  /**
   * What the score is computed from.
   *
   * @param matchedKeyword the keyword or phrase that detected the lead, or null
   * @param monitorMode how the group was monitored when it was detected, or null (entered by hand)
   * @param intent the triggering message's intent (reference API §2.12), or null if not analysed
   * @param exchange what the tenant's numbers and the person exchanged within {@link
   *     #ENGAGEMENT_WINDOW}
   */
  record Signals(
      String matchedKeyword,
      String monitorMode,
      String intent,
      Conversations.Exchange exchange,
      Instant lastActivityAt) {}

  /** One feature's contribution. */
  record Factor(String feature, int points, String because) {

    @Override
    public String toString() {
      return "%s %s%d (%s)".formatted(feature, points >= 0 ? "+" : "", points, because);
    }
  }

  record Score(int value, List<Factor> factors) {

    /** The explanation stored with the score: every factor that counted, then the total. */
    String reason() {
      if (factors.isEmpty()) {
        return "no signals yet: base score " + MIN;
      }
      return factors.stream().map(Factor::toString).collect(Collectors.joining("; "))
          + " → "
          + value
          + "/"
          + MAX;
    }
  }

  static Score score(Signals signals, Instant now) {
    List<Factor> factors = new ArrayList<>();
    keyword(signals, factors);
    intent(signals.intent(), factors);
    engagement(signals.exchange(), factors);
    replies(signals.exchange(), factors);
    recency(signals.lastActivityAt(), now, factors);
    int total = MIN + factors.stream().mapToInt(Factor::points).sum();
    return new Score(Math.max(MIN, Math.min(MAX, total)), List.copyOf(factors));
  }

  private static void keyword(Signals signals, List<Factor> factors) {
    String keyword = signals.matchedKeyword();
    if (keyword != null && !keyword.isBlank()) {
      boolean phrase = keyword.strip().contains(" ");
      factors.add(
          new Factor(
              "keyword",
              phrase ? 3 : 2,
              (phrase ? "matched the phrase '" : "matched '") + keyword.strip() + "'"));
    } else if ("all".equals(signals.monitorMode())
        || "first_message".equals(signals.monitorMode())) {
      factors.add(
          new Factor("keyword", 1, "wrote in a monitored group (" + signals.monitorMode() + ")"));
    }
  }

  private static void intent(String intent, List<Factor> factors) {
    if (intent == null) {
      return;
    }
    int points =
        switch (intent.toLowerCase(Locale.ROOT)) {
          case "buying_intent" -> 3;
          case "product_inquiry" -> 2;
          case "off_topic" -> -1;
          case "spam_noise" -> -2;
          default -> 0;
        };
    if (points != 0) {
      factors.add(new Factor("intent", points, intent));
    }
  }

  private static void engagement(Conversations.Exchange exchange, List<Factor> factors) {
    int received = exchange.received();
    if (received <= 0) {
      return;
    }
    int points = received >= 10 ? 3 : received >= 3 ? 2 : 1;
    factors.add(
        new Factor(
            "engagement",
            points,
            "wrote %d message%s in 30 days".formatted(received, received == 1 ? "" : "s")));
  }

  private static void replies(Conversations.Exchange exchange, List<Factor> factors) {
    if (exchange.repliedToUs()) {
      factors.add(new Factor("replies", 2, "wrote back after we wrote"));
    } else if (exchange.sent() >= 2 && exchange.firstOutboundAt() != null) {
      factors.add(
          new Factor("replies", -1, "no answer to our %d messages".formatted(exchange.sent())));
    }
  }

  private static void recency(Instant lastActivityAt, Instant now, List<Factor> factors) {
    if (lastActivityAt == null) {
      return;
    }
    Duration quiet = Duration.between(lastActivityAt, now);
    if (quiet.compareTo(Duration.ofDays(1)) <= 0) {
      factors.add(new Factor("recency", 2, "active within a day"));
    } else if (quiet.compareTo(Duration.ofDays(7)) <= 0) {
      factors.add(new Factor("recency", 1, "active within a week"));
    } else if (quiet.compareTo(Duration.ofDays(30)) > 0) {
      factors.add(new Factor("recency", -1, "quiet for %d days".formatted(quiet.toDays())));
    }
  }
}
