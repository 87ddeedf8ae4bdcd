package io.flowmate.leads.groups;

import java.text.Normalizer;

/**
 * Text as keyword matching sees it: words of Unicode letters and digits, compared without case or
 * accents, separated by exactly one space whatever stood between them (spaces, punctuation, emoji,
 * line breaks), with one space before the first word and after the last. So {@code "Orçamento?"}
 * reads {@code " orcamento "}, {@code "LOOKING-FOR"} and {@code "looking for"} both read {@code "
 * looking for "}, and a keyword can be required to start and end at word boundaries by matching it
 * with its surrounding spaces.
 *
 * <p>Case folding: NFKD decomposition, combining marks dropped, then each code point upper- and
 * lower-cased (so that e.g. the long s {@code ſ} reads {@code s}); {@code ß} and {@code ẞ} read
 * {@code ss}; the Turkish dotless {@code ı} reads {@code i} (and {@code İ}, decomposed to {@code I}
 * plus a dot, reads {@code i} too), so {@code "FİYAT"}, {@code "fiyat"} and {@code "FIYAT"} agree;
 * final sigma reads sigma. Marks that are letters' parts in Indic scripts (spacing marks) stay part
 * of their word.
 */
final class KeywordText {

  private KeywordText() {}

  /** The normalised text: " word word ... " (a single space when there is no word at all). */
  static String normalize(CharSequence text) {
    StringBuilder out = new StringBuilder(text.length() + 2);
    out.append(' ');
    if (isAscii(text)) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
          out.append(c);
        } else if (c >= 'A' && c <= 'Z') {
          out.append((char) (c + ('a' - 'A')));
        } else {
          separate(out);
        }
      }
    } else {
      String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
      for (int i = 0; i < decomposed.length(); ) {
        int cp = decomposed.codePointAt(i);
        i += Character.charCount(cp);
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) {
          continue; // accents: "ç" is "c" plus a cedilla, "é" is "e" plus an acute
        }
        if (Character.isLetterOrDigit(cp) || type == Character.COMBINING_SPACING_MARK) {
          fold(cp, out);
        } else {
          separate(out);
        }
      }
    }
    separate(out);
    return out.toString();
  }

  /** Whether the normalised text has no word at all (nothing a keyword could be made of). */
  static boolean isBlank(String normalized) {
    return normalized.length() <= 1;
  }

  /**
   * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) and
   * Korean, whose particles attach to the word: a keyword in them cannot ask for word boundaries,
   * or {@code 价格} would never be found in {@code 这个价格多少}.
   */
  static boolean isUnspacedScript(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return switch (script) {
      case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR, HANGUL -> true;
      default -> false;
    };
  }

  private static void fold(int cp, StringBuilder out) {
    switch (cp) {
      case 'ß', 'ẞ' -> out.append("ss");
      case 'ı' -> out.append('i');
      case 'ς' -> out.append('σ');
      default -> out.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp)));
    }
  }

  private static void separate(StringBuilder out) {
    if (out.charAt(out.length() - 1) != ' ') {
      out.append(' ');
    }
  }

  private static boolean isAscii(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
