package io.flowmate.outreach.audience;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A member about to join a custom group, checked: the phone number in E.164 digits, an optional
 * name, and custom fields (text → text) that campaigns and schedules use for personalisation
 * ({@code {city}}) and filtering ({@code unpaid = yes}) through {@link Audience}.
 */
record NewMember(String phone, String name, Map<String, String> fields) {

  static final int MAX_NAME = 255;
  static final int MAX_FIELDS = 50;
  static final int MAX_FIELD_NAME = 64;
  static final int MAX_FIELD_VALUE = 1_000;

  /** The columns every member has; a custom field may not take their names. */
  static final Set<String> RESERVED = Set.of("phone", "name");

  NewMember {
    fields = Map.copyOf(fields);
  }

  /** The member, or (member null) why the row cannot be one. */
  record Checked(NewMember member, String problem) {

    static Checked refused(String problem) {
      return new Checked(null, problem);
    }
  }

  /**
   * Checks one row. Blank names and blank field values count as absent: an empty cell in a CSV
   * column means "no value", so that filtering on {@code unpaid = yes} never matches it.
   */
  static Checked check(String phone, String name, Map<String, String> fields) {
    PhoneNumbers.Normalised number = PhoneNumbers.normalise(phone);
    if (!number.valid()) {
      return Checked.refused(number.problem());
    }
    String shownName = name == null || name.isBlank() ? null : name.strip();
    if (shownName != null && shownName.length() > MAX_NAME) {
      return Checked.refused("name is longer than %d characters".formatted(MAX_NAME));
    }
    Map<String, String> kept = new TreeMap<>();
    if (fields != null) {
      for (Map.Entry<String, String> field : fields.entrySet()) {
        String key = field.getKey() == null ? "" : field.getKey().strip();
        String keyProblem = fieldNameProblem(key);
        if (keyProblem != null) {
          return Checked.refused(keyProblem);
        }
        String value = field.getValue() == null ? "" : field.getValue().strip();
        if (value.isEmpty()) {
          continue;
        }
        if (value.length() > MAX_FIELD_VALUE) {
          return Checked.refused(
              "custom field '%s' is longer than %d characters".formatted(key, MAX_FIELD_VALUE));
        }
        if (kept.put(key, value) != null) {
          return Checked.refused("custom field '%s' is given twice".formatted(key));
        }
      }
    }
    if (kept.size() > MAX_FIELDS) {
      return Checked.refused(
          "%d custom fields; at most %d are allowed".formatted(kept.size(), MAX_FIELDS));
    }
    return new Checked(new NewMember(number.phone(), shownName, kept), null);
  }

  /** Why a custom field cannot have this (stripped) name, or null when it can. */
  static String fieldNameProblem(String key) {
    if (key.isEmpty()) {
      return "a custom field has no name";
    }
    if (key.length() > MAX_FIELD_NAME) {
      return "custom field name '%s...' is longer than %d characters"
          .formatted(key.substring(0, 20), MAX_FIELD_NAME);
    }
    if (key.indexOf('{') >= 0 || key.indexOf('}') >= 0) {
      return "custom field name '%s' contains '{' or '}', which mark placeholders in message texts"
          .formatted(key);
    }
    if (RESERVED.contains(key.toLowerCase(Locale.ROOT))) {
      return "'%s' is not a custom field: every member has a %s of its own"
          .formatted(key, key.toLowerCase(Locale.ROOT));
    }
    return null;
  }
}
