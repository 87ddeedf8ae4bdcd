package io.flowmate.gateway.waha;

import io.flowmate.core.ChatId;
import io.flowmate.gateway.spi.SessionRef;
import io.flowmate.gateway.spi.WaIdentity;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WhatsApp addresses as WAHA writes them, turned into Flowmate's: engines mix {@code <n>@c.us} and
 * {@code <n>@s.whatsapp.net} (sometimes with a {@code :device} suffix) for phone numbers, {@code
 * <n>@lid} for linked ids and {@code <id>@g.us} for groups.
 */
final class Jids {

  private static final Pattern PHONE_JID =
      Pattern.compile("([1-9][0-9]{5,14})(?::[0-9]+)?@(?:c\\.us|s\\.whatsapp\\.net)");
  private static final Pattern LID_JID = Pattern.compile("([0-9]{6,30})(?::[0-9]+)?@lid");
  private static final Pattern SESSION_NAME = Pattern.compile("fm_([0-9a-f]{32})");

  private Jids() {}

  /** The E.164 digits of a phone JID, or null for anything else. */
  static String phoneDigits(String jid) {
    if (jid == null) {
      return null;
    }
    Matcher matcher = PHONE_JID.matcher(jid.trim().toLowerCase(Locale.ROOT));
    return matcher.matches() ? matcher.group(1) : null;
  }

  /** {@code <n>@lid} without a device suffix, or null when the JID is no linked id. */
  static String lid(String jid) {
    if (jid == null) {
      return null;
    }
    Matcher matcher = LID_JID.matcher(jid.trim().toLowerCase(Locale.ROOT));
    return matcher.matches() ? matcher.group(1) + "@lid" : null;
  }

  /** A chat as Flowmate addresses it; empty for broadcasts, channels and unknown forms. */
  static Optional<ChatId> chat(String jid) {
    String digits = phoneDigits(jid);
    if (digits != null) {
      return ChatId.tryParse(digits + "@c.us");
    }
    String lid = lid(jid);
    if (lid != null) {
      return ChatId.tryParse(lid);
    }
    return jid == null
        ? Optional.empty()
        : ChatId.tryParse(jid.trim()).filter(c -> jid.contains("@"));
  }

  /**
   * A person from a JID and, when the engine gave it, the other form of the same person ({@code
   * alternative}: the phone JID of a LID or the LID of a phone JID).
   */
  static WaIdentity identity(String jid, String alternative, String pushName) {
    String lid = firstNonNull(lid(jid), lid(alternative));
    String phone = firstNonNull(phoneDigits(jid), phoneDigits(alternative));
    return new WaIdentity(lid, phone, blankToNull(pushName));
  }

  /**
   * The WAHA session name of a Flowmate session ({@link SessionRef#transportName()}) parsed back.
   */
  static Optional<UUID> sessionIdOf(String name) {
    if (name == null) {
      return Optional.empty();
    }
    Matcher matcher = SESSION_NAME.matcher(name.trim());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    String hex = matcher.group(1);
    return Optional.of(
        UUID.fromString(
            hex.substring(0, 8)
                + "-"
                + hex.substring(8, 12)
                + "-"
                + hex.substring(12, 16)
                + "-"
                + hex.substring(16, 20)
                + "-"
                + hex.substring(20)));
  }

  /** A phone number or JID as WAHA wants it in bodies: {@code <digits>@c.us}; others unchanged. */
  static String toWahaJid(String value) {
    String trimmed = value.trim();
    if (trimmed.contains("@")) {
      String digits = phoneDigits(trimmed);
      return digits != null ? digits + "@c.us" : trimmed;
    }
    return trimmed.replaceAll("[^0-9]", "") + "@c.us";
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
