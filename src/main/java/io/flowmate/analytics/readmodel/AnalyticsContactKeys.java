package io.flowmate.analytics.readmodel;

import io.flowmate.core.ChatId;
import java.util.Optional;

/**
 * How the read models name a person: {@code <phone>@c.us} when the phone number is known (also for
 * someone who wrote from a linked id), else their {@code <n>@lid} chat. Groups, channels and
 * broadcasts are nobody's: they are left out of contacts and send times.
 */
final class AnalyticsContactKeys {

  private AnalyticsContactKeys() {}

  /** The person behind a direct chat; null for a group or anything else that is not a person. */
  static String ofChat(String chatId) {
    if (chatId == null) {
      return null;
    }
    return chatId.endsWith("@c.us") || chatId.endsWith("@lid") ? chatId : null;
  }

  /** The person who wrote in a direct chat, by phone number when it is known. */
  static String ofSender(String chatId, String senderPhone) {
    if (senderPhone != null && !senderPhone.isBlank()) {
      return ChatId.tryParse(senderPhone).map(ChatId::value).orElse(ofChat(chatId));
    }
    return ofChat(chatId);
  }

  /** A chat id or phone number as a client writes it; empty if it names no person. */
  static Optional<String> parse(String raw) {
    return ChatId.tryParse(raw).filter(chat -> chat.kind() != ChatId.Kind.GROUP).map(ChatId::value);
  }
}
