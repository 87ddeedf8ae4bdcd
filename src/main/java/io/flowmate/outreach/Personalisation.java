package io.flowmate.outreach;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Fills a message's placeholders for one recipient: {@code {name}}, {@code {first_name}} and
 * {@code {<custom field>}} (any field of the custom-group member, e.g. {@code {invoice}}), field
 * names in any case. A value the recipient lacks becomes empty, and the gap it leaves is tidied
 * ("Hi {first_name}, ..." without a name reads "Hi, ..."); braces around anything that is not a
 * placeholder name are left as written.
 */
final class Personalisation {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private Personalisation() {}

  /**
   * One recipient's text.
   *
   * @param name the recipient's full name, or null (then the {@code name} field, if any)
   * @param fields the recipient's custom fields (may hold {@code first_name}); null for none
   */
  static String apply(String template, String name, Map<String, String> fields) {
    if (template == null) {
      return null;
    }
    Map<String, String> known = fields == null ? Map.of() : fields;
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    boolean leftGap = false;
    while (matcher.find()) {
      String value = value(matcher.group(1), name, known);
      leftGap |= value.isEmpty();
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return leftGap ? tidy(out.toString()) : out.toString();
  }

  private static String value(String placeholder, String name, Map<String, String> fields) {
    String fullName = name == null || name.isBlank() ? field(fields, "name") : name.strip();
    return switch (placeholder.toLowerCase(Locale.ROOT)) {
      case "name" -> fullName;
      case "first_name" -> {
        String firstName = field(fields, "first_name");
        yield !firstName.isEmpty() || fullName.isEmpty() ? firstName : fullName.split("\\s+")[0];
      }
      default -> field(fields, placeholder);
    };
  }

  private static String field(Map<String, String> fields, String wanted) {
    return fields.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(wanted) && e.getValue() != null)
        .map(e -> e.getValue().strip())
        .findFirst()
        .orElse("");
  }

  /** "Hi , see you" → "Hi, see you": only where an empty value left a gap. */
  private static String tidy(String text) {
    return Arrays.stream(text.split("\n", -1))
        .map(line -> line.replaceAll(" {2,}", " ").replaceAll(" ([,.!?;:])", "$1"))
        .collect(Collectors.joining("\n"))
        .strip();
  }
}
