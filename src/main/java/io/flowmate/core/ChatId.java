package io.flowmate.core;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A WhatsApp chat address as the reference API writes it: {@code <phone>@c.us} for a person (E.164
 * digits without '+'), {@code <id>@g.us} for a group, {@code <n>@lid} for a linked-identity
 * contact. A bare phone number ("+49 151 2345-6789" or "4915123456789") is accepted and normalised
 * to the {@code @c.us} form.
 */
public record ChatId(String value) {

  public enum Kind {
    CONTACT,
    GROUP,
    LID
  }

  private static final Pattern CONTACT = Pattern.compile("[1-9][0-9]{6,14}@c\\.us");
  private static final Pattern GROUP = Pattern.compile("[0-9]{6,30}(-[0-9]{6,20})?@g\\.us");
  private static final Pattern LID = Pattern.compile("[0-9]{6,30}@lid");
  private static final Pattern PHONE = Pattern.compile("\\+?[1-9][0-9]{6,14}");
  private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[\\s().\\-]");

  /**
   * Parses a chat id or phone number.
   *
   * @throws InvalidValueException with a message fit for an API error's {@code detail}
   */
  public static ChatId parse(String raw) {
    return tryParse(raw)
        .orElseThrow(() ->
            new InvalidValueException(
                "'%s' is not a valid chat id: use <phone>@c.us (E.164 digits without '+',"
                        .formatted(raw == null ? "" : raw)
                    + " e.g. 4915123456789@c.us), <id>@g.us for a group, <n>@lid, or a phone"
                    + " number"));
  }

  public static Optional<ChatId> tryParse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String trimmed = raw.trim();
    if (CONTACT.matcher(trimmed).matches()
        || GROUP.matcher(trimmed).matches()
        || LID.matcher(trimmed).matches()) {
      return Optional.of(new ChatId(trimmed));
    }
    String digits = PHONE_PUNCTUATION.matcher(trimmed).replaceAll("");
    if (PHONE.matcher(digits).matches()) {
      return Optional.of(new ChatId(digits.replace("+", "") + "@c.us"));
    }
    return Optional.empty();
  }

  public Kind kind() {
    if (value.endsWith("@g.us")) {
      return Kind.GROUP;
    }
    return value.endsWith("@lid") ? Kind.LID : Kind.CONTACT;
  }

  /** The E.164 digits (without '+') of a contact chat; empty for groups and LIDs. */
  public Optional<String> phoneNumber() {
    return kind() == Kind.CONTACT
        ? Optional.of(value.substring(0, value.indexOf('@')))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return value;
  }
}
