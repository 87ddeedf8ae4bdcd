package io.flowmate.outreach.audience;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A campaign text with spin text and placeholders, turned into one recipient's message.
 *
 * <p>Spin text {@code {Hi|Hello|Hey}} picks one option per recipient, so that a hundred recipients
 * don't get byte-identical messages (WhatsApp flags identical bulk texts). The pick is a function
 * of a seed (the campaign and the member), so planning the same recipient again gives the same
 * text. Placeholders {@code {name}}, {@code {first_name}}, {@code {phone}} and {@code {<custom
 * field>}} take the member's values; a value the member lacks becomes empty, and the spaces around
 * it are tidied.
 */
public final class MessageTemplate {

  private static final Pattern BRACES = Pattern.compile("\\{([^{}]*)}");
  private static final Pattern PLACEHOLDER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private MessageTemplate() {}

  /** What is wrong with the template (unbalanced braces, an empty option), if anything. */
  public static Optional<String> problem(String template) {
    if (template == null) {
      return Optional.empty();
    }
    int depth = 0;
    for (char c : template.toCharArray()) {
      if (c == '{' && ++depth > 1) {
        return Optional.of("spin text and placeholders cannot be nested: '{' inside '{...}'");
      }
      if (c == '}' && --depth < 0) {
        return Optional.of("'}' without a matching '{'");
      }
    }
    if (depth != 0) {
      return Optional.of("'{' without a matching '}'");
    }
    Matcher matcher = BRACES.matcher(template);
    while (matcher.find()) {
      String inside = matcher.group(1);
      if (inside.contains("|")) {
        if (List.of(inside.split("\\|", -1)).stream().anyMatch(String::isBlank)) {
          return Optional.of("spin text {" + inside + "} has an empty option");
        }
      } else if (!PLACEHOLDER.matcher(inside).matches()) {
        return Optional.of(
            "{"
                + inside
                + "} is neither a placeholder such as {first_name} nor spin text such as {Hi|Hello}");
      }
    }
    return Optional.empty();
  }

  /** The number of different texts the spin text can produce (capped), for the approver's view. */
  public static long variety(String template) {
    long variety = 1;
    Matcher matcher = BRACES.matcher(template == null ? "" : template);
    while (matcher.find() && variety < 1_000_000) {
      if (matcher.group(1).contains("|")) {
        variety *= matcher.group(1).split("\\|", -1).length;
      }
    }
    return variety;
  }

  /**
   * One recipient's text.
   *
   * @param seed the same seed gives the same spin choices
   */
  public static String render(
      String template, long seed, String phone, String name, Map<String, String> fields) {
    Matcher matcher = BRACES.matcher(template);
    StringBuilder out = new StringBuilder();
    long state = seed;
    boolean leftGap = false;
    while (matcher.find()) {
      String inside = matcher.group(1);
      String replacement;
      if (inside.contains("|")) {
        String[] options = inside.split("\\|", -1);
        state = mix(state);
        replacement = options[(int) Math.floorMod(state, (long) options.length)];
      } else {
        replacement = value(inside, phone, name, fields);
        leftGap |= replacement.isEmpty();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return leftGap ? tidy(out.toString()) : out.toString();
  }

  private static String value(
      String placeholder, String phone, String name, Map<String, String> fields) {
    String key = placeholder.toLowerCase(Locale.ROOT);
    String fullName =
        name == null || name.isBlank() ? fields.getOrDefault("name", "") : name.trim();
    return switch (key) {
      case "name" -> fullName;
      case "first_name" ->
          fields.getOrDefault("first_name", fullName.isEmpty() ? "" : fullName.split("\\s+")[0]);
      case "phone" -> phone == null ? "" : phone;
      default ->
          fields.entrySet().stream()
              .filter(e -> e.getKey().equalsIgnoreCase(placeholder))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse("");
    };
  }

  /** "Hi , see you" → "Hi, see you" where an empty value left a gap (only then). */
  private static String tidy(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      lines.add(line.replaceAll(" {2,}", " ").replaceAll(" ([,.!?;:])", "$1"));
    }
    return String.join("\n", lines).strip();
  }

  /** SplitMix64: spreads a seed into well-mixed bits, cheaply and deterministically. */
  private static long mix(long x) {
    x += 0x9E3779B97F4A7C15L;
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }
}
