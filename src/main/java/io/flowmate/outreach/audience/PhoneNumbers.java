package io.flowmate.outreach.audience;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Phone numbers of list members, normalised to the form chat ids use: E.164 digits without '+'.
 * {@code +49 151 2345-678}, {@code 0049 151 2345678}, {@code 4915123456789} and {@code
 * 4915123456789@c.us} are all accepted; anything else is refused with a reason a person can act on,
 * because imports report it per row.
 */
final class PhoneNumbers {

  /** E.164 allows at most 15 digits; fewer than 7 is no real international number. */
  static final int MIN_DIGITS = 7;

  static final int MAX_DIGITS = 15;

  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\u00A0().\\-/]");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final int SHOWN = 40;

  private PhoneNumbers() {}

  /** The normalised number, or (phone null) why the input is not one. */
  record Normalised(String phone, String problem) {

    boolean valid() {
      return phone != null;
    }

    static Normalised of(String phone) {
      return new Normalised(phone, null);
    }

    static Normalised refused(String problem) {
      return new Normalised(null, problem);
    }
  }

  static Normalised normalise(String raw) {
    if (raw == null || raw.isBlank()) {
      return Normalised.refused("phone is missing");
    }
    String text = raw.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.endsWith("@g.us")) {
      return Normalised.refused(
          "'%s' is a WhatsApp group id, not a phone number".formatted(shown(text)));
    }
    if (lower.endsWith("@lid")) {
      return Normalised.refused(
          "'%s' is a linked id (LID), which hides the phone number; give the phone number"
              .formatted(shown(text)));
    }
    if (lower.endsWith("@c.us")) {
      text = text.substring(0, text.length() - "@c.us".length());
    } else if (lower.endsWith("@s.whatsapp.net")) {
      text = text.substring(0, text.length() - "@s.whatsapp.net".length());
    }
    String compact = SEPARATORS.matcher(text).replaceAll("");
    boolean international = compact.startsWith("+");
    String digits = international ? compact.substring(1) : compact;
    if (!DIGITS.matcher(digits).matches()) {
      return Normalised.refused(
          "'%s' is not a phone number: use digits with the country code, optionally '+', spaces, '-', '.', '/' and brackets"
              .formatted(shown(raw.strip())));
    }
    if (!international && digits.startsWith("00")) {
      // The international call prefix used in most of Europe, Africa and Asia.
      digits = digits.substring(2);
      international = true;
    }
    if (digits.startsWith("0")) {
      return Normalised.refused(
          international
              ? "'%s' is not a phone number: country codes never start with 0"
                  .formatted(shown(raw.strip()))
              : "'%s' looks like a national number (it starts with 0): write it with the country code, e.g. 49151... for 0151..."
                  .formatted(shown(raw.strip())));
    }
    if (digits.length() < MIN_DIGITS || digits.length() > MAX_DIGITS) {
      return Normalised.refused(
          "'%s' has %d digits; an international number has %d to %d, country code included"
              .formatted(shown(raw.strip()), digits.length(), MIN_DIGITS, MAX_DIGITS));
    }
    return Normalised.of(digits);
  }

  /** Long garbage is cut short in messages: a reason is for people, not a copy of the input. */
  private static String shown(String text) {
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
  }
}
