package io.flowmate.messaging.outbox;

import io.flowmate.core.net.DownloadException;
import io.flowmate.core.net.OutboundUrls;
import io.flowmate.core.net.RefusedUrlException;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.OutboundMessage.ContactCard;
import io.flowmate.gateway.spi.OutboundMessage.MediaKind;
import io.flowmate.gateway.spi.OutboundMessage.MediaSource;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.messaging.message.Message;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns a stored message into what the transport sends. The stored form is the message type, its
 * text, and a payload with the type's fields (snake_case, as in the API).
 *
 * <p>Media given by URL is downloaded here, through {@link OutboundUrls}, and handed over as bytes:
 * a transport never fetches a user's URL itself (WAHA would fetch it from inside the operator's
 * network, past any check). The bytes are not stored; each attempt downloads again, and the URL is
 * checked again then, because its host may resolve elsewhere by now.
 */
@Component
class OutboundMessages {

  private final MediaRepository media;
  private final OutboundUrls urls;

  OutboundMessages(MediaRepository media, OutboundUrls urls) {
    this.media = media;
    this.urls = urls;
  }

  /**
   * The message to hand over, with media by URL downloaded.
   *
   * @throws TransportException with a reason for the message when the media URL is refused or its
   *     download failed (retryable when a later attempt may succeed)
   */
  OutboundMessage toOutbound(Message.Content content) {
    return convert(content, true);
  }

  /** The message as it was handed over, for looking it up; media by URL is not downloaded. */
  OutboundMessage describe(Message.Content content) {
    return convert(content, false);
  }

  private OutboundMessage convert(Message.Content content, boolean download) {
    Map<String, Object> p = content.payload();
    return switch (content.type()) {
      case TEXT ->
          new OutboundMessage.Text(
              content.body(),
              strings(p.get("mentions")),
              !Boolean.FALSE.equals(p.get("link_preview")));
      case POLL ->
          new OutboundMessage.Poll(
              (String) p.get("name"),
              strings(p.get("options")),
              Boolean.TRUE.equals(p.get("multiple_answers")));
      case LOCATION ->
          new OutboundMessage.Location(
              number(p.get("latitude")),
              number(p.get("longitude")),
              (String) p.get("title"),
              (String) p.get("address"));
      case CONTACT ->
          new OutboundMessage.ContactCards(
              ((List<?>) p.get("contacts"))
                  .stream()
                      .map(c -> (Map<?, ?>) c)
                      .map(c ->
                          new ContactCard(
                              (String) c.get("full_name"),
                              (String) c.get("phone_number"),
                              (String) c.get("organization"),
                              (String) c.get("vcard")))
                      .toList());
      case REACTION ->
          new OutboundMessage.Reaction(
              (String) p.get("target_wa_message_id"), (String) p.get("emoji"));
      default -> media(content, download);
    };
  }

  private OutboundMessage media(Message.Content content, boolean download) {
    MediaKind kind = MediaKind.valueOf(content.type().name());
    Map<String, Object> p = content.payload();
    MediaSource source;
    if (content.mediaId() != null) {
      MediaRepository.StoredMedia stored =
          media
              .find(content.mediaId())
              .orElseThrow(() -> new IllegalStateException("media of the message is missing"));
      source =
          new MediaSource(
              null,
              Base64.getEncoder().encodeToString(stored.content()),
              stored.mimetype(),
              stored.filename());
    } else if (download) {
      source =
          downloaded(
              kind,
              (String) p.get("media_url"),
              (String) p.get("mimetype"),
              (String) p.get("filename"));
    } else {
      source =
          new MediaSource(
              (String) p.get("media_url"),
              null,
              (String) p.get("mimetype"),
              (String) p.get("filename"));
    }
    String caption = (String) p.get("caption");
    return new OutboundMessage.Media(kind, source, caption);
  }

  private MediaSource downloaded(MediaKind kind, String url, String mimetype, String filename) {
    OutboundUrls.Download download;
    try {
      // The guard checks the URL again here, at connection time, on the addresses it connects to.
      download = urls.get(URI.create(url.strip()));
    } catch (IllegalArgumentException e) {
      throw new TransportException("media_url is not a valid URL", false);
    } catch (RefusedUrlException e) {
      throw new TransportException("media_url is refused: " + e.getMessage(), false);
    } catch (DownloadException e) {
      throw new TransportException(
          "media_url could not be downloaded: " + e.getMessage(), e.retryable());
    }
    String served = download.contentType() == null ? null : download.contentType().strip();
    String type = served == null ? null : served.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!fits(kind, type)) {
      throw new TransportException(
          "media_url served %s, which is not %s"
              .formatted(served == null ? "no Content-Type" : served, what(kind)),
          false);
    }
    String sentType =
        mimetype != null ? mimetype : served != null ? served : "application/octet-stream";
    return new MediaSource(
        null,
        Base64.getEncoder().encodeToString(download.content()),
        sentType,
        filename != null || kind != MediaKind.DOCUMENT ? filename : lastSegment(url));
  }

  /** Whether a served type can be sent as this kind; a document may be any file. */
  private static boolean fits(MediaKind kind, String type) {
    if (kind == MediaKind.DOCUMENT) {
      return true;
    }
    if (type == null) {
      return false;
    }
    return switch (kind) {
      case IMAGE, STICKER -> type.startsWith("image/") && !type.equals("image/svg+xml");
      case VIDEO -> type.startsWith("video/");
      case GIF -> type.startsWith("video/") || type.equals("image/gif");
      case AUDIO, VOICE -> type.startsWith("audio/") || type.equals("application/ogg");
      case DOCUMENT -> true;
    };
  }

  private static String what(MediaKind kind) {
    return switch (kind) {
      case IMAGE -> "an image";
      case STICKER -> "a sticker image";
      case VIDEO -> "a video";
      case GIF -> "a GIF or video";
      case AUDIO, VOICE -> "audio";
      case DOCUMENT -> "a file";
    };
  }

  private static String lastSegment(String url) {
    String path = URI.create(url.strip()).getPath();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    return name.isBlank() ? null : name;
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
