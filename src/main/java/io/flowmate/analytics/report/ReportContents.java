package io.flowmate.analytics.report;

import static io.flowmate.analytics.report.ReportText.bold;
import static io.flowmate.analytics.report.ReportText.contact;
import static io.flowmate.analytics.report.ReportText.number;
import static io.flowmate.analytics.report.ReportText.percent;

import io.flowmate.admin.PlanLimits;
import io.flowmate.gateway.SessionStanding;
import io.flowmate.leads.Leads;
import io.flowmate.leads.MonitoredGroups;
import io.flowmate.messaging.ConversationFigures;
import io.flowmate.outreach.OutreachFigures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What each of the ten templates says, as figures: every body is a record that Jackson writes as
 * the run's JSON, and that writes itself as WhatsApp text. Bodies are built from figures only,
 * never from the database, so that each template can be tested on given figures.
 */
public final class ReportContents {

  private ReportContents() {}

  /** A template's figures. */
  sealed interface Body
      permits DailyActivity,
          LeadPipeline,
          UnansweredContacts,
          VipContacts,
          GroupMonitoring,
          ScheduledMessagesStatus,
          BulkSendProgress,
          UsagePlan,
          SessionHealth,
          ReviewDigest {

    void write(ReportText text);
  }

  /** A report: what it is, the time it covers, and its template's figures. */
  record Document(
      String templateId,
      String title,
      String reportName,
      String timezone,
      Instant periodStart,
      Instant periodEnd,
      Instant generatedAt,
      Body figures) {

    /** The WhatsApp text: a title, the report's name and period, then the template's figures. */
    String text(ReportText text, ReportTemplate template) {
      text.line(template.emoji() + " " + bold(title));
      if (reportName != null && !reportName.equals(title)) {
        text.line("_" + reportName + "_");
      }
      text.line(
          text.dateTime(periodStart) + " – " + text.dateTime(periodEnd) + " (" + timezone + ")");
      figures.write(text);
      return text.text();
    }
  }

  /** A session and how long it has been in its status. */
  public record SessionLine(
      UUID id,
      String name,
      String phoneNumber,
      String status,
      Instant statusSince,
      String failureReason) {

    public static SessionLine of(SessionStanding standing) {
      return new SessionLine(
          standing.session().id().value(),
          standing.session().name(),
          standing.session().phoneNumber(),
          standing.session().status().value(),
          standing.statusSince(),
          standing.failureReason());
    }

    public boolean working() {
      return "working".equals(status);
    }

    void write(ReportText text) {
      String who = phoneNumber == null ? name : name + " · " + ReportText.phone(phoneNumber);
      if (working()) {
        text.check(true, who + " — up " + text.since(statusSince));
      } else {
        text.check(
            false,
            who
                + " — "
                + status.replace('_', ' ')
                + " for "
                + text.since(statusSince)
                + (failureReason == null ? "" : ": " + failureReason));
      }
    }
  }

  /** A direct chat with a contact. */
  public record ContactLine(
      UUID sessionId,
      String chatId,
      String name,
      Instant lastInboundAt,
      Instant lastMessageAt,
      int messageCount,
      boolean awaitsReply) {

    public static ContactLine of(ConversationFigures.ChatActivity chat) {
      return new ContactLine(
          chat.sessionId().value(),
          chat.chatId(),
          chat.name(),
          chat.lastInboundAt(),
          chat.lastMessageAt(),
          chat.messageCount(),
          chat.awaitsReply());
    }
  }

  /** An open lead. */
  public record LeadLine(
      UUID id, String contactPhone, String contactName, String status, Instant lastActivityAt) {

    public static LeadLine of(Leads.LeadSummary lead) {
      return new LeadLine(
          lead.id().value(),
          lead.contactPhone(),
          lead.contactName(),
          lead.status(),
          lead.lastActivityAt());
    }
  }

  /**
   * daily_activity: traffic and new leads in the period, and each session's uptime.
   *
   * @param messagesSent messages that left in the period
   * @param messagesReceived messages that arrived in the period
   * @param leadsDetected leads detected or entered in the period
   */
  record DailyActivity(
      long messagesSent, long messagesReceived, long leadsDetected, List<SessionLine> sessions)
      implements Body {

    @Override
    public void write(ReportText text) {
      text.section("Messages");
      text.bullet("Sent: " + number(messagesSent));
      text.bullet("Received: " + number(messagesReceived));
      text.section("Leads");
      text.bullet("New leads: " + number(leadsDetected));
      writeSessions(text, sessions);
    }
  }

  private static void writeSessions(ReportText text, List<SessionLine> sessions) {
    long working = sessions.stream().filter(SessionLine::working).count();
    text.section("Sessions: %d of %d working".formatted(working, sessions.size()));
    if (sessions.isEmpty()) {
      text.line("No WhatsApp number connected yet: POST /api/v2/sessions, then scan the QR code.");
    }
    sessions.forEach(session -> session.write(text));
  }

  /**
   * lead_pipeline: where leads stand, where they come from, and how many convert.
   *
   * @param stages every status in pipeline order with its count and share of all leads
   * @param funnel how many leads reached at least contacted, qualified and converted
   * @param conversionPercent converted leads as a share of all leads (null: no leads)
   * @param winPercent converted as a share of the decided ones, converted plus lost (null: none
   *     decided)
   */
  record LeadPipeline(
      long total,
      long newInPeriod,
      List<StageCount> stages,
      List<StageCount> funnel,
      Double conversionPercent,
      Double winPercent,
      List<SourceCount> sources)
      implements Body {

    record StageCount(String status, long leads, Double percent) {}

    /**
     * @param source the source group's name; null for leads entered by hand
     */
    record SourceCount(String source, long leads) {}

    static LeadPipeline of(
        Map<String, Long> byStatus, Map<String, Long> bySource, long newInPeriod) {
      long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
      List<StageCount> stages = new ArrayList<>();
      byStatus.forEach(
          (status, count) -> stages.add(new StageCount(status, count, share(count, total))));
      long converted = byStatus.getOrDefault("converted", 0L);
      long qualified = byStatus.getOrDefault("qualified", 0L) + converted;
      long contacted = byStatus.getOrDefault("contacted", 0L) + qualified;
      long lost = byStatus.getOrDefault("lost", 0L);
      List<StageCount> funnel =
          List.of(
              new StageCount("contacted", contacted, share(contacted, total)),
              new StageCount("qualified", qualified, share(qualified, total)),
              new StageCount("converted", converted, share(converted, total)));
      List<SourceCount> sources = new ArrayList<>();
      bySource.forEach((source, count) -> sources.add(new SourceCount(source, count)));
      return new LeadPipeline(
          total,
          newInPeriod,
          stages,
          funnel,
          share(converted, total),
          share(converted, converted + lost),
          sources);
    }

    @Override
    public void write(ReportText text) {
      text.section("Pipeline: %s leads, %s new".formatted(number(total), number(newInPeriod)));
      if (total == 0) {
        text.line("No leads yet. Monitor a WhatsApp group to detect them: POST /api/v2/groups");
        return;
      }
      stages.forEach(stage ->
          text.bullet(
              "%s: %s (%s)"
                  .formatted(
                      label(stage.status()),
                      number(stage.leads()),
                      percent(stage.leads(), total))));
      text.section("Funnel (reached at least)");
      funnel.forEach(stage ->
          text.bullet(
              "%s: %s (%s)"
                  .formatted(
                      label(stage.status()),
                      number(stage.leads()),
                      percent(stage.leads(), total))));
      text.section("Conversion");
      text.bullet("Converted: " + rate(conversionPercent) + " of all leads");
      text.bullet("Won vs lost: " + rate(winPercent));
      text.section("Sources");
      sources.forEach(source ->
          text.bullet(
              (source.source() == null ? "Entered by hand" : source.source())
                  + ": "
                  + number(source.leads())));
    }
  }

  /**
   * unanswered_contacts: contacts who wrote and got no reply, and open leads with no activity for a
   * while (warm leads going cold).
   *
   * @param contactsHidden names and numbers are left out because the tenant's chat history access
   *     is off; the count stays
   * @param coldAfterDays how many days without activity make a lead go cold
   */
  record UnansweredContacts(
      long unanswered,
      List<ContactLine> longestWaiting,
      boolean contactsHidden,
      long coldAfterDays,
      List<LeadLine> goingCold,
      boolean moreGoingCold)
      implements Body {

    @Override
    public void write(ReportText text) {
      text.section("Waiting for a reply: " + number(unanswered));
      if (contactsHidden && unanswered > 0) {
        text.line(CHAT_HISTORY_OFF);
      }
      longestWaiting.forEach(c ->
          text.bullet(
              contact(c.name(), c.chatId()) + " — waiting " + text.since(c.lastInboundAt())));
      if (unanswered > longestWaiting.size() && !longestWaiting.isEmpty()) {
        text.bullet("and %s more".formatted(number(unanswered - longestWaiting.size())));
      }
      if (unanswered == 0) {
        text.line("Everyone who wrote got an answer.");
      }
      text.section(
          "Leads going cold (%d+ days quiet): %s%s"
              .formatted(coldAfterDays, goingCold.size(), moreGoingCold ? "+" : ""));
      goingCold.forEach(lead ->
          text.bullet(
              contact(lead.contactName(), lead.contactPhone() + "@c.us")
                  + " — "
                  + lead.status()
                  + ", quiet "
                  + text.since(lead.lastActivityAt())));
      if (goingCold.isEmpty()) {
        text.line("No open lead has gone quiet.");
      }
    }
  }

  static final String CHAT_HISTORY_OFF =
      "🔒 Who they are stays hidden: chat history access is off (chat_history_access_enabled in"
          + " PATCH /api/v2/tenant/settings).";

  /**
   * vip_contacts: the most active direct conversations.
   *
   * @param minMessages a VIP has at least this many messages with the tenant's numbers
   * @param total how many contacts have that many
   */
  record VipContacts(int minMessages, long total, List<ContactLine> busiest, boolean contactsHidden)
      implements Body {

    @Override
    public void write(ReportText text) {
      text.section("%d+ messages: %s contacts".formatted(minMessages, number(total)));
      if (contactsHidden && total > 0) {
        text.line(CHAT_HISTORY_OFF);
      }
      busiest.forEach(c ->
          text.bullet(
              contact(c.name(), c.chatId())
                  + " — "
                  + number(c.messageCount())
                  + " messages, last "
                  + text.since(c.lastMessageAt())
                  + " ago"
                  + (c.awaitsReply() ? ", awaits a reply" : "")));
      if (total == 0) {
        text.line("No conversation has reached %d messages yet.".formatted(minMessages));
      }
    }
  }

  /**
   * group_monitoring: what the monitored groups produced in the period.
   *
   * @param available false when this Flowmate has no group monitoring to ask
   */
  record GroupMonitoring(
      boolean available,
      long monitored,
      long active,
      long messages,
      long matches,
      long leadsDetected,
      List<MonitoredGroups.Digest> groups)
      implements Body {

    static GroupMonitoring of(
        List<MonitoredGroups.Monitored> monitored, List<MonitoredGroups.Digest> digests) {
      return new GroupMonitoring(
          true,
          monitored.size(),
          monitored.stream().filter(MonitoredGroups.Monitored::active).count(),
          digests.stream().mapToLong(MonitoredGroups.Digest::messages).sum(),
          digests.stream().mapToLong(MonitoredGroups.Digest::matches).sum(),
          digests.stream().mapToLong(MonitoredGroups.Digest::leadsDetected).sum(),
          digests);
    }

    static GroupMonitoring unavailable() {
      return new GroupMonitoring(false, 0, 0, 0, 0, 0, List.of());
    }

    @Override
    public void write(ReportText text) {
      if (!available) {
        text.line("Group monitoring is not available in this Flowmate.");
        return;
      }
      text.section("%d groups monitored, %d active".formatted(monitored, active));
      if (monitored == 0) {
        text.line("No group monitored yet: POST /api/v2/groups with a session_id and wa_group_id.");
        return;
      }
      text.bullet("Messages: " + number(messages));
      text.bullet("Keyword matches: " + number(matches));
      text.bullet("Leads: " + number(leadsDetected));
      for (MonitoredGroups.Digest group : groups) {
        text.section(group.name());
        text.bullet(
            "%s messages, %s matches, %s leads"
                .formatted(
                    number(group.messages()),
                    number(group.matches()),
                    number(group.leadsDetected())));
        if (!group.topKeywords().isEmpty()) {
          text.bullet(
              "Top: "
                  + String.join(
                      ", ",
                      group.topKeywords().stream()
                          .map(k -> "\"" + k.keyword() + "\" ×" + k.matches())
                          .toList()));
        }
      }
    }
  }

  /**
   * scheduled_messages_status: scheduled messages executed vs failed in the period, and what runs
   * next.
   */
  record ScheduledMessagesStatus(
      long active,
      long paused,
      long executed,
      long failed,
      long missed,
      List<OutreachFigures.UpcomingRun> upcoming,
      List<OutreachFigures.FailedRun> recentFailures)
      implements Body {

    static ScheduledMessagesStatus of(OutreachFigures.ScheduleFigures figures) {
      return new ScheduledMessagesStatus(
          figures.active(),
          figures.paused(),
          figures.executed(),
          figures.failed(),
          figures.missed(),
          figures.upcoming(),
          figures.recentFailures());
    }

    @Override
    public void write(ReportText text) {
      text.section("Runs in this period");
      text.bullet("Executed: " + number(executed));
      text.bullet("Failed: " + number(failed));
      text.bullet("Missed: " + number(missed));
      text.section("Schedules: %s active, %s paused".formatted(number(active), number(paused)));
      if (!upcoming.isEmpty()) {
        text.section("Next up");
        upcoming.forEach(run -> text.bullet(run.name() + " — " + text.dateTime(run.nextRunAt())));
      }
      if (!recentFailures.isEmpty()) {
        text.section("Problems");
        recentFailures.forEach(run ->
            text.check(
                false,
                run.name()
                    + " — "
                    + text.dateTime(run.occurrence())
                    + ", "
                    + run.status()
                    + (run.error() == null ? "" : ": " + run.error())));
      }
    }
  }

  /**
   * bulk_send_progress: bulk sends under way and finished in the period, with their delivery
   * figures.
   */
  record BulkSendProgress(
      long running,
      long paused,
      long pending,
      long finishedInPeriod,
      List<OutreachFigures.CampaignFigures> campaigns)
      implements Body {

    static BulkSendProgress of(OutreachFigures.BulkSendFigures figures) {
      return new BulkSendProgress(
          figures.running(),
          figures.paused(),
          figures.pending(),
          figures.finished(),
          figures.latest());
    }

    @Override
    public void write(ReportText text) {
      text.section(
          "Bulk sends: %s running, %s paused, %s finished"
              .formatted(number(running + pending), number(paused), number(finishedInPeriod)));
      if (campaigns.isEmpty()) {
        text.line("No bulk send ran in this period.");
      }
      for (OutreachFigures.CampaignFigures campaign : campaigns) {
        text.section(
            (campaign.name() == null ? "Bulk send" : campaign.name()) + " — " + campaign.status());
        text.bullet(
            "%s of %s sent (%s), %s delivered"
                .formatted(
                    number(campaign.sent()),
                    number(campaign.total()),
                    percent(campaign.sent(), campaign.total()),
                    number(campaign.delivered())));
        text.bullet(
            "%s failed, %s waiting"
                .formatted(number(campaign.failed()), number(campaign.waiting())));
      }
    }
  }

  /**
   * usage_plan: each limited resource against the plan's limit. Above 80% of a limit is {@code
   * near_limit} (time to upgrade), below 20% is {@code idle} (capacity left unused).
   */
  public record UsagePlan(String plan, List<UsageLine> usage, List<String> suggestions)
      implements Body {

    /**
     * @param limit null when the plan does not limit it
     * @param percent of the limit used (null: unlimited)
     * @param level {@code near_limit}, {@code idle}, {@code ok} or {@code unlimited}
     */
    public record UsageLine(
        String metric, String label, long used, Long limit, Double percent, String level) {

      public static final String NEAR_LIMIT = "near_limit";
      public static final String IDLE = "idle";

      static UsageLine of(String metric, String label, long used, Integer limit) {
        if (limit == null) {
          return new UsageLine(metric, label, used, null, null, "unlimited");
        }
        double percent = limit == 0 ? 100.0 : Math.round(1000.0 * used / limit) / 10.0;
        String level = percent > 80 ? NEAR_LIMIT : percent < 20 ? IDLE : "ok";
        return new UsageLine(metric, label, used, (long) limit, percent, level);
      }
    }

    static UsagePlan of(PlanLimits limits, List<UsageLine> usage) {
      List<String> suggestions = new ArrayList<>();
      for (UsageLine line : usage) {
        if (UsageLine.NEAR_LIMIT.equals(line.level())) {
          suggestions.add(
              "%s at %s of the %s plan's %s: upgrade to a larger plan (GET /api/v2/billing/plans)"
                  .formatted(
                      line.label(),
                      whole(line.percent()),
                      limits.displayName(),
                      number(line.limit())));
        } else if (UsageLine.IDLE.equals(line.level())) {
          suggestions.add(
              "%s at %s: idle capacity — %s"
                  .formatted(line.label(), whole(line.percent()), idleHint(line.metric())));
        }
      }
      return new UsagePlan(limits.displayName(), usage, suggestions);
    }

    private static String whole(Double percent) {
      return Math.round(percent) + "%";
    }

    private static String idleHint(String metric) {
      return switch (metric) {
        case "messages_this_month" ->
            "follow up with the contacts waiting for a reply, or schedule a message (POST /api/v2/scheduled-messages)";
        case "sessions" -> "connect another number (POST /api/v2/sessions)";
        case "monitored_groups" -> "monitor more WhatsApp groups for leads (POST /api/v2/groups)";
        case "custom_groups" -> "build a contact list (POST /api/v2/custom-groups)";
        case "scheduled_reports" -> "schedule another report (POST /api/v2/reports)";
        default -> "the plan allows more";
      };
    }

    @Override
    public void write(ReportText text) {
      text.section("Plan: " + plan);
      for (UsageLine line : usage) {
        text.bullet(
            line.limit() == null
                ? "%s: %s (unlimited)".formatted(line.label(), number(line.used()))
                : "%s: %s / %s (%s)%s"
                    .formatted(
                        line.label(),
                        number(line.used()),
                        number(line.limit()),
                        whole(line.percent()),
                        UsageLine.NEAR_LIMIT.equals(line.level()) ? " ⚠️" : ""));
      }
      if (!suggestions.isEmpty()) {
        text.section("Suggestions");
        suggestions.forEach(text::bullet);
      }
    }
  }

  /** session_health: each session's status and how long it has been in it. */
  public record SessionHealth(long total, long working, List<SessionLine> sessions)
      implements Body {

    public static SessionHealth of(List<SessionLine> sessions) {
      return new SessionHealth(
          sessions.size(), sessions.stream().filter(SessionLine::working).count(), sessions);
    }

    @Override
    public void write(ReportText text) {
      writeSessions(text, sessions);
      List<SessionLine> down = sessions.stream().filter(session -> !session.working()).toList();
      if (!down.isEmpty()) {
        text.section("To do");
      }
      for (SessionLine session : down) {
        String path = "/api/v2/sessions/" + session.id();
        text.bullet(
            switch (session.status()) {
              case "qr_code" -> "Scan the QR code of %s: GET %s/qr".formatted(session.name(), path);
              case "starting" -> "Wait for %s to finish starting".formatted(session.name());
              case "passkey_required" ->
                  "Confirm the passkey of %s on the phone".formatted(session.name());
              default -> "Start %s again: POST %s/start".formatted(session.name(), path);
            });
      }
    }
  }

  /**
   * review_digest: there is no reviews module in Flowmate yet, so no collector can exist; the
   * digest says so rather than inventing figures.
   */
  record ReviewDigest(long collectorsConfigured, boolean reviewsAvailable) implements Body {

    static ReviewDigest withoutReviewsModule() {
      return new ReviewDigest(0, false);
    }

    @Override
    public void write(ReportText text) {
      text.section("No review collectors configured");
      text.line(
          "Flowmate has no reviews module yet, so there are no reviews, sentiment or approvals to summarise.");
    }
  }

  private static String label(String status) {
    return Character.toUpperCase(status.charAt(0)) + status.substring(1);
  }

  private static Double share(long part, long whole) {
    return whole == 0 ? null : Math.round(1000.0 * part / whole) / 10.0;
  }

  private static String rate(Double percent) {
    return percent == null
        ? "–"
        : (percent == Math.rint(percent)
                ? String.valueOf(percent.longValue())
                : String.valueOf(percent))
            + "%";
  }
}
