package io.flowmate.messaging.message;

import java.util.Locale;

/**
 * What kind of message it is. {@link #value()} is what the {@code message_type} column, the API and
 * the events carry (the lower-case name), so the stored and JSON values are the names the reference
 * API uses.
 */
public enum MessageType {
  TEXT,
  IMAGE,
  VIDEO,
  DOCUMENT,
  AUDIO,
  VOICE,
  STICKER,
  GIF,
  POLL,
  LOCATION,
  CONTACT,
  REACTION,
  /** An incoming message whose kind the transport could not tell. */
  UNKNOWN;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The type of a stored or reported value; one this version does not know (a transport may report
   * new kinds) is {@link #UNKNOWN}.
   */
  public static MessageType of(String value) {
    for (MessageType type : values()) {
      if (type.value().equals(value)) {
        return type;
      }
    }
    return UNKNOWN;
  }
}
