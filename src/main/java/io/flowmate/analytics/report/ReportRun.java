package io.flowmate.analytics.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.Outbox;
import java.time.Instant;
import java.util.UUID;

/**
 * One generated report (or one occurrence that was missed).
 *
 * @param trigger {@code schedule} (its process's timer) or {@code manual} (POST /reports/{id}/run)
 * @param occurrence the scheduled moment; for a manual run, when it was asked for
 * @param status {@code generated}, {@code failed} (generated, but the WhatsApp delivery could not
 *     be queued: {@code error} says why) or {@code missed} (due while Flowmate was down, past the
 *     grace period; no content)
 * @param text the report as the WhatsApp message shows it
 * @param json the same figures as JSON
 * @param delivery where it was sent, as the report said at that moment
 */
record ReportRun(
    UUID id,
    UUID reportId,
    TenantId tenantId,
    String trigger,
    Instant occurrence,
    String status,
    ReportTemplate template,
    Instant periodStart,
    Instant periodEnd,
    String text,
    JsonNode json,
    Report.Delivery delivery,
    String error,
    String idempotencyKey,
    Instant generatedAt) {

  static final String SCHEDULE = "schedule";
  static final String MANUAL = "manual";

  static final String GENERATED = "generated";
  static final String FAILED = "failed";
  static final String MISSED = "missed";

  /**
   * The WhatsApp message's origin in the outbox: one per run, so each run's delivery can be
   * followed.
   */
  static final String ORIGIN_KIND = "report";

  Outbox.Origin origin() {
    return new Outbox.Origin(ORIGIN_KIND, id);
  }
}
