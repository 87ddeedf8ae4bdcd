package io.flowmate.core;

/**
 * Makes a user-controlled value safe to put in a log line: every character that could end the line
 * or disguise it (CR, LF, the other C0 and C1 controls, DEL, Unicode line and paragraph separators,
 * bidirectional overrides) becomes {@code _}, and long values are cut, so that a contact, a webhook
 * or a request can neither forge log entries nor flood them. Log ids rather than personal data; use
 * this for what must be logged anyway (a keyword, a path, a remote error message).
 */
public final class LogSafe {

  /** Long enough for an error message, short enough that nobody fills the log through it. */
  static final int MAX_LENGTH = 200;

  private LogSafe() {}

  public static String text(Object value) {
    String text = String.valueOf(value);
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 1));
    int i = 0;
    while (i < text.length() && safe.length() < MAX_LENGTH) {
      int codePoint = text.codePointAt(i);
      safe.appendCodePoint(breaksTheLine(codePoint) ? '_' : codePoint);
      i += Character.charCount(codePoint);
    }
    if (i < text.length()) {
      safe.append('…');
    }
    return safe.toString();
  }

  private static boolean breaksTheLine(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.CONTROL
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        // bidirectional embeddings, overrides and isolates reorder what a reader sees
        || (codePoint >= 0x202A && codePoint <= 0x202E)
        || (codePoint >= 0x2066 && codePoint <= 0x2069);
  }
}
