package io.flowmate.analytics.report;

import io.flowmate.core.api.ApiException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The ten report templates of the reference API (§2.6), each with what it covers. */
enum ReportTemplate {
  DAILY_ACTIVITY(
      "Daily Activity Summary",
      "📊",
      "Messages sent and received, leads detected and session uptime"),
  LEAD_PIPELINE("Lead Pipeline Report", "🎯", "Lead sources, funnel stages and conversion rates"),
  UNANSWERED_CONTACTS(
      "Unanswered Contacts", "💬", "Contacts who wrote and got no reply; warm leads going cold"),
  VIP_CONTACTS("VIP Contacts", "⭐", "The most active conversations"),
  GROUP_MONITORING(
      "Group Monitoring Digest", "👥", "Keyword matches and leads from monitored groups"),
  SCHEDULED_MESSAGES_STATUS(
      "Scheduled Messages Status",
      "⏰",
      "Scheduled messages executed vs failed, and what runs next"),
  BULK_SEND_PROGRESS(
      "Bulk Send Progress", "📣", "Active and completed bulk sends with their delivery figures"),
  USAGE_PLAN("Usage & Plan Utilization", "📈", "Usage against the plan's limits, with suggestions"),
  SESSION_HEALTH("Session Health Check", "📱", "Session uptime and connection issues"),
  REVIEW_DIGEST("Review & Testimonial Digest", "📝", "Review sentiment and approvals");

  private final String title;
  private final String emoji;
  private final String description;

  ReportTemplate(String title, String emoji, String description) {
    this.title = title;
    this.emoji = emoji;
    this.description = description;
  }

  /** The {@code template_id} as the API writes it. */
  String id() {
    return name().toLowerCase();
  }

  String title() {
    return title;
  }

  String emoji() {
    return emoji;
  }

  String description() {
    return description;
  }

  static ReportTemplate of(String id) {
    return valueOf(id.toUpperCase());
  }

  /** A template id as a client wrote it: 422 naming the ten if it is none. */
  static ReportTemplate parse(String id) {
    if (id == null || id.isBlank()) {
      throw ApiException.invalid(
          "template_id is required: one of " + ids() + " (GET /api/v2/reports/templates)");
    }
    for (ReportTemplate template : values()) {
      if (template.id().equals(id.strip())) {
        return template;
      }
    }
    throw ApiException.invalid("template_id must be one of %s; not '%s'".formatted(ids(), id));
  }

  private static String ids() {
    return Arrays.stream(values()).map(ReportTemplate::id).collect(Collectors.joining(", "));
  }
}
