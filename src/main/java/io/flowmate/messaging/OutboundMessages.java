package io.flowmate.messaging;

import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.OutboundMessage.ContactCard;
import io.flowmate.gateway.spi.OutboundMessage.MediaKind;
import io.flowmate.gateway.spi.OutboundMessage.MediaSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns a stored message into what the transport sends. The stored form is the message type, its
 * text, and a payload with the type's fields (snake_case, as in the API).
 */
@Component
class OutboundMessages {

  private final MediaRepository media;

  OutboundMessages(MediaRepository media) {
    this.media = media;
  }

  OutboundMessage toOutbound(Message.Content content) {
    Map<String, Object> p = content.payload();
    return switch (content.type()) {
      case "text" -> new OutboundMessage.Text(content.body(), strings(p.get("mentions")), !Boolean.FALSE.equals(p.get("link_preview")));
      case "poll" ->
          new OutboundMessage.Poll(
              (String) p.get("name"), strings(p.get("options")), Boolean.TRUE.equals(p.get("multiple_answers")));
      case "location" ->
          new OutboundMessage.Location(
              number(p.get("latitude")), number(p.get("longitude")), (String) p.get("title"), (String) p.get("address"));
      case "contact" ->
          new OutboundMessage.ContactCards(
              ((List<?>) p.get("contacts"))
                  .stream()
                      .map(c -> (Map<?, ?>) c)
                      .map(
                          c ->
                              new ContactCard(
                                  (String) c.get("full_name"),
                                  (String) c.get("phone_number"),
                                  (String) c.get("organization"),
                                  (String) c.get("vcard")))
                      .toList());
      case "reaction" -> new OutboundMessage.Reaction((String) p.get("target_wa_message_id"), (String) p.get("emoji"));
      default -> media(content);
    };
  }

  private OutboundMessage media(Message.Content content) {
    MediaKind kind = MediaKind.valueOf(content.type().toUpperCase());
    Map<String, Object> p = content.payload();
    MediaSource source;
    if (content.mediaId() != null) {
      MediaRepository.StoredMedia stored =
          media.find(content.mediaId())
              .orElseThrow(() -> new IllegalStateException("media of the message is missing"));
      source =
          new MediaSource(
              null, Base64.getEncoder().encodeToString(stored.content()), stored.mimetype(), stored.filename());
    } else {
      source =
          new MediaSource((String) p.get("media_url"), null, (String) p.get("mimetype"), (String) p.get("filename"));
    }
    String caption = (String) p.get("caption");
    return new OutboundMessage.Media(kind, source, caption);
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    return ((List<?>) value).stream().map(String::valueOf).toList();
  }

  private static double number(Object value) {
    return ((Number) value).doubleValue();
  }
}
