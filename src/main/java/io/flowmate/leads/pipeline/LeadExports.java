package io.flowmate.leads.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.TenantId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Writes the leads a filter selects as CSV or JSON while reading them a page at a time, so that an
 * export of the maximum size never sits in memory.
 */
@Component
class LeadExports {

  /** The reference API's cap on one export. */
  static final int MAX_ROWS = 10_000;

  private static final int PAGE = 500;

  private static final List<String> CSV_COLUMNS =
      List.of(
          "id",
          "contact_phone",
          "contact_name",
          "lead_status",
          "lead_score",
          "lead_detected_at",
          "source_group_id",
          "source_group_name",
          "matched_keyword",
          "message_preview",
          "monitor_mode",
          "status_changed_at",
          "created_at");

  private final LeadRepository leads;
  private final ObjectMapper json;

  LeadExports(LeadRepository leads, ObjectMapper json) {
    this.leads = leads;
    this.json = json;
  }

  private interface LeadSink {
    void accept(Lead lead) throws IOException;
  }

  void csv(TenantId tenant, LeadRepository.Filter filter, Writer out) throws IOException {
    out.write(String.join(",", CSV_COLUMNS));
    out.write("\r\n");
    forEach(
        tenant,
        filter,
        lead -> {
          Lead.Trigger trigger = lead.trigger();
          out.write(
              Arrays.asList(
                      lead.id(),
                      lead.contactPhone(),
                      lead.contactName(),
                      lead.status().value(),
                      lead.score(),
                      lead.detectedAt(),
                      lead.sourceGroupId(),
                      lead.sourceGroupName(),
                      trigger == null ? null : trigger.matchedKeyword(),
                      trigger == null ? null : trigger.messagePreview(),
                      trigger == null ? null : trigger.monitorMode(),
                      lead.statusChangedAt(),
                      lead.createdAt())
                  .stream()
                  .map(value -> value == null ? "" : csvValue(value.toString()))
                  .collect(Collectors.joining(",")));
          out.write("\r\n");
        });
    out.flush();
  }

  /** Writes a JSON array of leads, each as {@code GET /leads/{id}} shows it. */
  void json(
      TenantId tenant, LeadRepository.Filter filter, Function<Lead, Object> view, OutputStream out)
      throws IOException {
    try (JsonGenerator generator = json.createGenerator(out)) {
      generator.writeStartArray();
      forEach(tenant, filter, lead -> generator.writeObject(view.apply(lead)));
      generator.writeEndArray();
    }
  }

  private void forEach(TenantId tenant, LeadRepository.Filter filter, LeadSink sink)
      throws IOException {
    UUID before = null;
    int written = 0;
    while (written < MAX_ROWS) {
      List<Lead> page =
          leads.listBefore(tenant, filter, before, Math.min(PAGE, MAX_ROWS - written));
      for (Lead lead : page) {
        sink.accept(lead);
      }
      written += page.size();
      if (page.size() < PAGE) {
        return;
      }
      before = page.getLast().id();
    }
  }

  /**
   * A CSV field: quoted when it holds a separator, quote or line break, and with a leading {@code
   * '} when a spreadsheet would run it as a formula (names and message previews come from
   * strangers).
   */
  static String csvValue(String value) {
    String safe =
        !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }
}
