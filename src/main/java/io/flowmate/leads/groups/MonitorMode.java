package io.flowmate.leads.groups;

import io.flowmate.core.api.ApiException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What makes a message in a monitored group a lead (reference API §2.11). The older spellings
 * {@code keyword} and {@code ai_prompt} (v1.x, group_monitor.py) are accepted on input and stored
 * as {@code keywords} and {@code ai_analysis}.
 */
enum MonitorMode {
  /** Every message. */
  ALL,
  /** Messages containing one of the group's keywords. */
  KEYWORDS,
  /** Messages that mention the monitoring number. */
  MENTIONS,
  /** A sender's first message in the group since monitoring began; the default. */
  FIRST_MESSAGE,
  /** Messages the classifier sees as buying intent or a product inquiry (Pro+). */
  AI_ANALYSIS;

  static final MonitorMode DEFAULT = FIRST_MESSAGE;

  String value() {
    return name().toLowerCase();
  }

  static MonitorMode of(String value) {
    return valueOf(value.toUpperCase());
  }

  /** A mode as a client wrote it: 422 with the allowed values if it is none. */
  static MonitorMode parse(String raw) {
    String value = raw.strip().toLowerCase();
    switch (value) {
      case "keyword":
        return KEYWORDS;
      case "ai_prompt":
        return AI_ANALYSIS;
      default:
        for (MonitorMode mode : values()) {
          if (mode.value().equals(value)) {
            return mode;
          }
        }
    }
    throw ApiException.invalid(
        "monitor_mode must be one of %s; not '%s'"
            .formatted(
                Arrays.stream(values()).map(MonitorMode::value).collect(Collectors.joining(", ")),
                raw));
  }
}
