package io.flowmate.gateway.spi;

import java.util.List;

/** Every kind of message Flowmate sends; each transport maps them onto its wire format. */
public sealed interface OutboundMessage {

  /** A short description for previews and logs. */
  String preview();

  record Text(String body, List<String> mentions, boolean linkPreview) implements OutboundMessage {
    public Text(String body) {
      this(body, List.of(), true);
    }

    @Override
    public String preview() {
      return body;
    }
  }

  /** Media by URL or inline base64 data. */
  record Media(MediaKind kind, MediaSource source, String caption) implements OutboundMessage {
    @Override
    public String preview() {
      return caption != null && !caption.isBlank()
          ? caption
          : "[" + kind.name().toLowerCase() + "]";
    }
  }

  record Poll(String name, List<String> options, boolean multipleAnswers)
      implements OutboundMessage {
    @Override
    public String preview() {
      return "📊 " + name;
    }
  }

  record Location(double latitude, double longitude, String title, String address)
      implements OutboundMessage {
    @Override
    public String preview() {
      return "📍 " + (title != null ? title : latitude + "," + longitude);
    }
  }

  record ContactCards(List<ContactCard> contacts) implements OutboundMessage {
    @Override
    public String preview() {
      return "👤 "
          + contacts.stream().map(ContactCard::fullName).reduce((a, b) -> a + ", " + b).orElse("");
    }
  }

  /** A reaction to an earlier message; an empty emoji removes it. */
  record Reaction(String targetProviderMessageId, String emoji) implements OutboundMessage {
    @Override
    public String preview() {
      return emoji;
    }
  }

  enum MediaKind {
    IMAGE,
    VIDEO,
    DOCUMENT,
    AUDIO,
    VOICE,
    STICKER,
    GIF
  }

  /**
   * Where the media comes from: a public http(s) URL, or base64 data. {@code mimetype} is required
   * with data. Flowmate hands over media that users give by URL as data: it downloads them itself
   * through {@code core.net.OutboundUrls}, so that no transport fetches a user's URL.
   */
  record MediaSource(String url, String base64Data, String mimetype, String filename) {}

  /** A contact card: either structured fields or a complete vCard. */
  record ContactCard(String fullName, String phoneNumber, String organization, String vcard) {}
}
