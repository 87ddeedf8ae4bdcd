package io.flowmate.messaging;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Messaging ({@code flowmate.messaging.*}).
 *
 * @param approvalTimeout how long a message waits for approval before it expires (cancelled)
 * @param dispatchInterval how often the outbox is checked for due messages and lapsed claims
 * @param claimLease a claim's lease: renewed every third of it while the lane works on the message
 *     (a send may take longer), taken over and settled by any instance once it lapsed unrenewed
 * @param outcomeLookupDelay how long after a send whose outcome is unknown (WhatsApp's answer was
 *     lost: a timeout, a broken connection, a server error) the transport is asked whether WhatsApp
 *     accepted the message; time for a slow transport to finish what it may still be doing
 * @param retryDelay first back-off after a transient failure (doubles per attempt)
 * @param maxAttempts attempts before a message fails for good
 * @param dispatchThreads numbers sending at the same time (each number sends one message at a time)
 * @param inboundWriters threads storing incoming events (each writes a chat's events in order)
 * @param replyWindow a reply within this time marks a sent message {@code replied}; a read message
 *     without one after this time is {@code ignored}
 * @param governor the anti-ban rules every send passes
 */
@ConfigurationProperties("flowmate.messaging")
public record MessagingSettings(
    @DefaultValue("24h") Duration approvalTimeout,
    @DefaultValue("1s") Duration dispatchInterval,
    @DefaultValue("1m") Duration claimLease,
    @DefaultValue("30s") Duration outcomeLookupDelay,
    @DefaultValue("30s") Duration retryDelay,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("4") int dispatchThreads,
    @DefaultValue("2") int inboundWriters,
    @DefaultValue("24h") Duration replyWindow,
    @DefaultValue Governor governor) {

  /**
   * The send governor, one per WhatsApp number, the only caller of the transport's send.
   *
   * @param pacing rate limits, gaps, caps, warm-up and quiet hours (turn off only for benchmarks)
   * @param gapJitter random spread of the gap between two sends, as a fraction of the mean gap (60
   *     s / the plan's messages per minute): 0.5 means 0.5× to 1.5× the mean
   * @param hourlyCap at most this many messages per number per hour
   * @param dailyCap at most this many messages per number per day
   * @param warmUp lower caps while a number is new, in order of age
   * @param typing show "typing…" before each text, for a time that grows with its length
   * @param duplicateWindow the same text is not sent to the same chat twice within this time
   * @param optOutKeywords a contact whose message is one of these words is never messaged again
   * @param reachoutLock how long new contacts are paused after error 463 when WhatsApp gives no end
   */
  public record Governor(
      @DefaultValue("true") boolean pacing,
      @DefaultValue("0.5") double gapJitter,
      @DefaultValue("80") int hourlyCap,
      @DefaultValue("500") int dailyCap,
      @DefaultValue({"2d:20:50", "5d:40:200", "10d:80:500"}) List<String> warmUp,
      @DefaultValue Typing typing,
      @DefaultValue("24h") Duration duplicateWindow,
      @DefaultValue({
            "STOP",
            "STOPP",
            "UNSUBSCRIBE",
            "SAIR",
            "PARAR",
            "CANCELAR",
            "DESCADASTRAR",
            "BAJA",
            "ALTO",
            "ARRET",
            "ARRÊT",
            "ABMELDEN",
            "STOPPEN",
            "DISISCRIVITI"
          })
          List<String> optOutKeywords,
      @DefaultValue("24h") Duration reachoutLock) {

    /** Caps while a number is younger than {@code age}: {@code age:perHour:perDay}. */
    public record WarmUpStep(Duration age, int perHour, int perDay) {}

    public List<WarmUpStep> warmUpSteps() {
      return warmUp.stream()
          .map(step -> step.split(":"))
          .map(parts ->
              new WarmUpStep(
                  Duration.parse("P" + parts[0].toUpperCase()),
                  Integer.parseInt(parts[1]),
                  Integer.parseInt(parts[2])))
          .toList();
    }
  }

  /**
   * @param perCharacter typing time per character of the text
   * @param min shortest typing time
   * @param max longest typing time
   */
  public record Typing(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("40ms") Duration perCharacter,
      @DefaultValue("800ms") Duration min,
      @DefaultValue("8s") Duration max) {}
}
