package io.flowmate.outreach.audience;

import io.flowmate.core.InvalidValueException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Custom-group members as CSV (RFC 4180): a header row {@code phone,name,<custom fields...>} in any
 * column order, then one member per record. Records are read one at a time with the line they start
 * on, so a 100,000-row file is never held in memory and bad rows can be reported by line. Quoted
 * values may contain delimiters, quotes ({@code ""}) and line breaks. Files that Excel saved with
 * ';' (German, French, ... locales) are read as well; the delimiter is the one the header uses.
 *
 * <p>Spreadsheets run values that start with {@code = + - @} as formulas, so exported values that
 * do are written with a leading {@code '} (OWASP's advice against CSV injection), which reading
 * removes again: an export imports back unchanged.
 */
final class MemberCsv {

  /** Longest record kept; anything longer is reported as a bad row, not held in memory. */
  static final int MAX_RECORD_CHARS = 64 * 1024;

  private static final String FORMULA_STARTS = "=+-@\t\r";

  private MemberCsv() {}

  /**
   * One record: the line it starts on (the header is line 1) and its values, or what is wrong with
   * it when it could not be read as values.
   */
  record Row(int line, List<String> values, String problem) {}

  /** Reads records from a character stream; blank lines are skipped. */
  static final class RowReader {

    private final Reader in;
    private int pending = -2;
    private int line = 1;
    private boolean started;
    private Character delimiter;

    RowReader(Reader in) {
      this.in = in;
    }

    /** The next record, or null at the end of the input. */
    Row next() throws IOException {
      while (true) {
        int start = line;
        int c = read();
        if (c < 0) {
          return null;
        }
        if (c == '\n' || c == '\r') {
          if (c == '\r' && peek() == '\n') {
            read();
          }
          line++;
          continue;
        }
        unread(c);
        return record(start);
      }
    }

    private Row record(int start) throws IOException {
      List<String> values = new ArrayList<>();
      StringBuilder value = new StringBuilder();
      List<Boolean> quotedValues = new ArrayList<>();
      boolean quoted = false;
      boolean wasQuoted = false;
      int length = 0;
      String problem = null;
      while (true) {
        int c = read();
        if (c < 0) {
          if (quoted) {
            problem =
                "a quoted value is not closed: a '\"' is missing, so the rest of the file was read as one value";
          }
          break;
        }
        if (++length > MAX_RECORD_CHARS && problem == null) {
          problem = "the row is longer than %d characters".formatted(MAX_RECORD_CHARS);
        }
        if (quoted) {
          if (c == '"') {
            if (peek() == '"') {
              read();
              append(value, '"', problem);
            } else {
              quoted = false;
            }
          } else {
            if (c == '\n' || c == '\r' && peek() != '\n') {
              line++;
            }
            append(value, (char) c, problem);
          }
          continue;
        }
        if (c == '\n' || c == '\r') {
          if (c == '\r' && peek() == '\n') {
            read();
          }
          line++;
          break;
        }
        if (delimiter == null && (c == ',' || c == ';')) {
          delimiter = (char) c;
        }
        if (delimiter != null && c == delimiter) {
          values.add(value.toString());
          quotedValues.add(wasQuoted);
          value.setLength(0);
          wasQuoted = false;
          continue;
        }
        if (c == '"' && value.isEmpty() && !wasQuoted) {
          quoted = true;
          wasQuoted = true;
          continue;
        }
        // A stray quote inside an unquoted value is kept as it is, as spreadsheets do.
        append(value, (char) c, problem);
      }
      values.add(value.toString());
      quotedValues.add(wasQuoted);
      if (problem != null) {
        return new Row(start, List.of(), problem);
      }
      List<String> cleaned = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        cleaned.add(quotedValues.get(i) ? unguard(values.get(i)) : unguard(values.get(i).strip()));
      }
      return new Row(start, cleaned, null);
    }

    private static void append(StringBuilder value, char c, String problem) {
      if (problem == null) {
        value.append(c);
      }
    }

    private int read() throws IOException {
      if (pending != -2) {
        int c = pending;
        pending = -2;
        return c;
      }
      int c = in.read();
      // A byte-order mark at the very start (Excel's "CSV UTF-8") is not part of the header.
      if (!started) {
        started = true;
        if (c == '\uFEFF') {
          c = in.read();
        }
      }
      return c;
    }

    private int peek() throws IOException {
      if (pending == -2) {
        pending = read();
      }
      return pending;
    }

    private void unread(int c) {
      pending = c;
    }
  }

  /**
   * Where the header puts the member's phone and name, and which custom field each other column
   * fills.
   */
  record Header(int phoneColumn, int nameColumn, List<String> columns) {

    /**
     * Reads the header row.
     *
     * @throws InvalidValueException when there is no phone column, a column has no name or the same
     *     name twice, or a name cannot be a custom field
     */
    static Header of(Row row) {
      if (row == null) {
        throw new InvalidValueException(
            "The CSV file is empty: its first line must be a header such as phone,name,city");
      }
      if (row.problem() != null) {
        throw new InvalidValueException(
            "The CSV header (line %d) cannot be read: %s".formatted(row.line(), row.problem()));
      }
      int phone = -1;
      int name = -1;
      Map<String, Integer> seen = new HashMap<>();
      List<String> columns = new ArrayList<>();
      for (int i = 0; i < row.values().size(); i++) {
        String column = row.values().get(i).strip();
        String lower = column.toLowerCase(Locale.ROOT);
        if (column.isEmpty()) {
          if (i == row.values().size() - 1 && i > 0) {
            columns.add(null); // a trailing delimiter, as some spreadsheets write
            continue;
          }
          throw new InvalidValueException("CSV header column %d has no name".formatted(i + 1));
        }
        Integer earlier = seen.putIfAbsent(lower, i);
        if (earlier != null) {
          throw new InvalidValueException(
              "CSV header names column '%s' twice (columns %d and %d)"
                  .formatted(column, earlier + 1, i + 1));
        }
        if (lower.equals("phone")) {
          phone = i;
        } else if (lower.equals("name")) {
          name = i;
        } else {
          String problem = NewMember.fieldNameProblem(column);
          if (problem != null) {
            throw new InvalidValueException("CSV header: " + problem);
          }
        }
        columns.add(column);
      }
      if (phone < 0) {
        throw new InvalidValueException(
            "The CSV header has no 'phone' column; the first line must name the columns, e.g. phone,name,city");
      }
      return new Header(phone, name, Collections.unmodifiableList(columns));
    }

    /** The member a record describes, or why it is not one. */
    NewMember.Checked member(Row row) {
      if (row.problem() != null) {
        return NewMember.Checked.refused(row.problem());
      }
      List<String> values = row.values();
      int used = values.size();
      while (used > columns.size() && values.get(used - 1).isEmpty()) {
        used--; // trailing empty values: a spreadsheet's extra delimiters
      }
      if (used > columns.size()) {
        return NewMember.Checked.refused(
            "the row has %d values but the header has %d columns".formatted(used, columns.size()));
      }
      Map<String, String> fields = new HashMap<>();
      for (int i = 0; i < Math.min(values.size(), columns.size()); i++) {
        if (i != phoneColumn && i != nameColumn && columns.get(i) != null) {
          fields.put(columns.get(i).strip(), values.get(i));
        }
      }
      return NewMember.check(
          value(values, phoneColumn), nameColumn < 0 ? null : value(values, nameColumn), fields);
    }

    private static String value(List<String> values, int column) {
      return column < values.size() ? values.get(column) : null;
    }
  }

  /** Writes members with the columns phone, name and the given custom fields. */
  static final class RowWriter {

    private final Writer out;
    private final List<String> fieldNames;

    RowWriter(Writer out, List<String> fieldNames) throws IOException {
      this.out = out;
      this.fieldNames = List.copyOf(fieldNames);
      List<String> header = new ArrayList<>(List.of("phone", "name"));
      header.addAll(fieldNames);
      write(header);
    }

    void member(String phone, String name, Map<String, String> fields) throws IOException {
      List<String> values = new ArrayList<>(fieldNames.size() + 2);
      values.add(phone);
      values.add(name == null ? "" : name);
      fieldNames.forEach(f -> values.add(fields.getOrDefault(f, "")));
      write(values);
    }

    private void write(List<String> values) throws IOException {
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(escape(guard(values.get(i))));
      }
      out.write("\r\n");
    }
  }

  static String escape(String value) {
    boolean needsQuotes =
        value.indexOf(',') >= 0
            || value.indexOf(';') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0
            || !value.equals(value.strip());
    return needsQuotes ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }

  /** A value a spreadsheet would run as a formula gets a leading {@code '}. */
  static String guard(String value) {
    return !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
  }

  /** Removes the {@code '} that {@link #guard} added. */
  static String unguard(String value) {
    return value.length() > 1
            && value.charAt(0) == '\''
            && FORMULA_STARTS.indexOf(value.charAt(1)) >= 0
        ? value.substring(1)
        : value;
  }
}
