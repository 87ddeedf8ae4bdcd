package io.flowmate.analytics.readmodel;

import java.time.Duration;
import java.time.Instant;

/**
 * A contact's engagement score, 0 to 100, from three parts anyone can recompute:
 *
 * <ul>
 *   <li><b>reply</b> (up to 40): 40 × the reply rate, the share of the messages sent to them that
 *       they replied to (0 while nothing was sent);
 *   <li><b>volume</b> (up to 30): 30 × ln(1 + received + sent / 2) / ln(41), capped at 30: what
 *       they wrote counts twice what they were sent, and 40 such messages give the full 30;
 *   <li><b>recency</b> (up to 30): 30 × 0.5^(days since they last wrote / 14): halves every two
 *       weeks of silence (0 if they never wrote).
 * </ul>
 *
 * <p>The leaderboard orders by the same formula in SQL ({@link #SQL}), so that a page of the
 * leaderboard needs no other rows; {@link #of} gives the figures shown.
 */
record ContactEngagementScore(
    double score, double replyPoints, double volumePoints, double recencyPoints) {

  static final double REPLY_WEIGHT = 40;
  static final double VOLUME_WEIGHT = 30;
  static final double RECENCY_WEIGHT = 30;

  /** Weighted messages that give the full volume points. */
  static final double VOLUME_SATURATION = 40;

  static final Duration RECENCY_HALF_LIFE = Duration.ofDays(14);

  /**
   * The same formula over {@code analytics_contact}'s columns, for ordering; {@code :now} is the
   * instant the scores are computed for.
   */
  static final String SQL =
      """
      (CASE WHEN messages_sent > 0
         THEN %1$s * LEAST(1.0, messages_replied::float8 / messages_sent) ELSE 0 END
       + %2$s * LEAST(1.0, ln(1 + messages_received + messages_sent / 2.0) / ln(1 + %3$s))
       + CASE WHEN last_received_at IS NULL THEN 0
         ELSE %4$s * power(0.5, GREATEST(0, extract(epoch FROM (CAST(:now AS timestamptz) - last_received_at)))
           / %5$s) END)
      """
          .formatted(
              REPLY_WEIGHT,
              VOLUME_WEIGHT,
              VOLUME_SATURATION,
              RECENCY_WEIGHT,
              RECENCY_HALF_LIFE.toSeconds());

  static ContactEngagementScore of(
      long sent, long received, long replied, Instant lastReceivedAt, Instant now) {
    double reply = sent > 0 ? REPLY_WEIGHT * Math.min(1.0, (double) replied / sent) : 0;
    double volume =
        VOLUME_WEIGHT
            * Math.min(1.0, Math.log(1 + received + sent / 2.0) / Math.log(1 + VOLUME_SATURATION));
    double recency = 0;
    if (lastReceivedAt != null) {
      double seconds = Math.max(0, Duration.between(lastReceivedAt, now).toMillis() / 1000.0);
      recency = RECENCY_WEIGHT * Math.pow(0.5, seconds / RECENCY_HALF_LIFE.toSeconds());
    }
    return new ContactEngagementScore(
        round(reply + volume + recency), round(reply), round(volume), round(recency));
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
