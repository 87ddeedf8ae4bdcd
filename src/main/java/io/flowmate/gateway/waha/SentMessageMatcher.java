package io.flowmate.gateway.waha;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.OutboundMessage.ContactCard;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a message in WAHA's list of a chat (a {@code WAMessage}) is the one Flowmate sent, judged
 * by content alone, because WAHA keeps no idempotency keys. {@link WahaTransport#findSent} asks
 * only about this number's messages in the chat since the send attempt began: a text or caption is
 * unique there because Flowmate's duplicate guard refuses the same text to the same chat within
 * {@code flowmate.messaging.governor.duplicate-window} (24 h; set to 0, an identical text sent
 * moments earlier could be taken for this one). Content WAHA does not read back (a voice note, a
 * sticker, a poll on engines that leave its name out of {@code body}) is recognised by what the
 * message lacks: that is as exact as WAHA's list allows, and two such messages to one chat within a
 * claim are rare.
 */
final class SentMessageMatcher {

  /** Coordinates pass through JSON numbers in WAHA and WhatsApp; this absorbs their rounding. */
  private static final double SAME_PLACE = 1e-6;

  private SentMessageMatcher() {}

  static boolean matches(OutboundMessage sent, JsonNode listed) {
    String body = WahaEvents.text(listed, "body");
    return switch (sent) {
      case OutboundMessage.Text text -> sameText(text.body(), body);
      case OutboundMessage.Media media -> {
        String caption = WahaTransport.caption(media);
        yield caption != null ? sameText(caption, body) : body == null && hasMedia(listed);
      }
      case OutboundMessage.Location location -> samePlace(location, listed.path("location"));
      case OutboundMessage.ContactCards cards -> everyCardAmong(cards.contacts(), vCards(listed));
      case OutboundMessage.Poll poll ->
          sameText(poll.name(), body)
              || body == null && !hasMedia(listed) && !hasPlaceOrCards(listed);
      case OutboundMessage.Reaction reaction -> false;
    };
  }

  private static boolean sameText(String sent, String listed) {
    return sent != null && listed != null && sent.strip().equals(listed.strip());
  }

  /**
   * {@code hasMedia}, or a {@code media} object from an engine that fills only that. NOWEB (in the
   * versions we read) sets either only for media it downloads, which the lookup does not ask for
   * (it would fetch every file), so there media without a caption is not recognised.
   */
  private static boolean hasMedia(JsonNode listed) {
    return listed.path("hasMedia").asBoolean(false) || listed.path("media").isObject();
  }

  private static boolean hasPlaceOrCards(JsonNode listed) {
    return listed.path("location").isObject() || !vCards(listed).isEmpty();
  }

  private static boolean samePlace(OutboundMessage.Location sent, JsonNode location) {
    if (!location.isObject()) {
      return false;
    }
    Double latitude = number(location.path("latitude"));
    Double longitude = number(location.path("longitude"));
    return latitude != null
        && longitude != null
        && Math.abs(latitude - sent.latitude()) <= SAME_PLACE
        && Math.abs(longitude - sent.longitude()) <= SAME_PLACE;
  }

  private static Double number(JsonNode value) {
    if (value.isNumber()) {
      return value.asDouble();
    }
    try {
      return value.isTextual() ? Double.valueOf(value.asText()) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static List<String> vCards(JsonNode listed) {
    List<String> cards = new ArrayList<>();
    listed.path("vCards").forEach(card -> cards.add(card.asText("")));
    return cards;
  }

  /** Each card's name is in one of the vCards, and its number too when it was sent with one. */
  private static boolean everyCardAmong(List<ContactCard> sent, List<String> vCards) {
    return !sent.isEmpty()
        && sent.stream()
            .allMatch(card -> vCards.stream().anyMatch(vCard -> describes(vCard, card)));
  }

  private static boolean describes(String vCard, ContactCard card) {
    String name =
        card.fullName() != null && !card.fullName().isBlank()
            ? card.fullName()
            : fullName(card.vcard());
    String digits = card.phoneNumber() == null ? "" : card.phoneNumber().replaceAll("[^0-9]", "");
    if (name == null && digits.isEmpty()) {
      return false;
    }
    boolean sameName = name == null || vCard.contains(name.strip());
    boolean sameNumber =
        digits.isEmpty()
            || vCard.lines().anyMatch(line -> line.replaceAll("[^0-9]", "").contains(digits));
    return sameName && sameNumber;
  }

  /**
   * The {@code FN} of a complete vCard ({@code FN:John Doe}, {@code FN;CHARSET=UTF-8:John Doe}).
   */
  private static String fullName(String vCard) {
    if (vCard == null) {
      return null;
    }
    return vCard
        .lines()
        .filter(line -> line.regionMatches(true, 0, "FN", 0, 2))
        .filter(line -> line.startsWith(":", 2) || line.startsWith(";", 2) && line.indexOf(':') > 0)
        .map(line -> line.substring(line.indexOf(':') + 1).strip())
        .filter(name -> !name.isEmpty())
        .findFirst()
        .orElse(null);
  }
}
