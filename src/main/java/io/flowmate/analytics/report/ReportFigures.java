package io.flowmate.analytics.report;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.analytics.report.ReportContents.Body;
import io.flowmate.analytics.report.ReportContents.ContactLine;
import io.flowmate.analytics.report.ReportContents.LeadLine;
import io.flowmate.analytics.report.ReportContents.SessionLine;
import io.flowmate.analytics.report.ReportContents.UsagePlan.UsageLine;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.Sessions;
import io.flowmate.leads.Leads;
import io.flowmate.messaging.ConversationFigures;
import io.flowmate.outreach.OutreachFigures;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Gathers a template's figures from the other modules' public read APIs (never their tables) and
 * builds its {@link Body}. Reads only.
 */
@Service
public class ReportFigures {

  private final Leads leads;
  private final ConversationFigures conversations;
  private final OutreachFigures outreach;
  private final Sessions sessions;
  private final Tenants tenants;
  private final GroupMonitoringFigures groups;
  private final ReportRepository reports;
  private final AnalyticsSettings.Reports settings;

  ReportFigures(
      Leads leads,
      ConversationFigures conversations,
      OutreachFigures outreach,
      Sessions sessions,
      Tenants tenants,
      GroupMonitoringFigures groups,
      ReportRepository reports,
      AnalyticsSettings settings) {
    this.leads = leads;
    this.conversations = conversations;
    this.outreach = outreach;
    this.sessions = sessions;
    this.tenants = tenants;
    this.groups = groups;
    this.reports = reports;
    this.settings = settings.reports();
  }

  /**
   * The template's figures for the period {@code [since, until)}; "now" figures (sessions, waiting
   * contacts, usage) are as of this moment.
   */
  Body gather(TenantId tenant, ReportTemplate template, Instant since, Instant until, ZoneId zone) {
    return switch (template) {
      case DAILY_ACTIVITY -> {
        ConversationFigures.Traffic traffic = conversations.traffic(tenant, since, until);
        yield new ReportContents.DailyActivity(
            traffic.sent(),
            traffic.received(),
            leads.detectedSince(tenant, since),
            sessionLines(tenant));
      }
      case LEAD_PIPELINE ->
          ReportContents.LeadPipeline.of(
              leads.countByStatus(tenant),
              leads.countBySource(tenant),
              leads.detectedSince(tenant, since));
      case UNANSWERED_CONTACTS -> unansweredContacts(tenant, until);
      case VIP_CONTACTS -> vipContacts(tenant);
      case GROUP_MONITORING -> groups.digest(tenant, since);
      case SCHEDULED_MESSAGES_STATUS ->
          ReportContents.ScheduledMessagesStatus.of(
              outreach.schedules(tenant, since, until, settings.listLimit()));
      case BULK_SEND_PROGRESS ->
          ReportContents.BulkSendProgress.of(
              outreach.bulkSends(tenant, since, settings.listLimit()));
      case USAGE_PLAN -> usagePlan(tenant, until, zone);
      case SESSION_HEALTH -> ReportContents.SessionHealth.of(sessionLines(tenant));
      case REVIEW_DIGEST -> ReportContents.ReviewDigest.withoutReviewsModule();
    };
  }

  public List<SessionLine> sessionLines(TenantId tenant) {
    return sessions.standings(tenant).stream().map(SessionLine::of).toList();
  }

  /**
   * Whether the tenant lets Flowmate show who is in its chats (the reference API's chat-history
   * gate).
   */
  public boolean chatHistoryVisible(TenantId tenant) {
    return tenants.settings(tenant).chatHistoryAccessEnabled();
  }

  ReportContents.UnansweredContacts unansweredContacts(TenantId tenant, Instant now) {
    boolean visible = chatHistoryVisible(tenant);
    ConversationFigures.Unanswered unanswered =
        conversations.unanswered(tenant, visible ? settings.listLimit() : 0);
    List<Leads.LeadSummary> cold =
        leads.goingCold(tenant, now.minus(settings.coldAfter()), settings.listLimit() + 1);
    return new ReportContents.UnansweredContacts(
        unanswered.total(),
        unanswered.longestWaiting().stream().map(ContactLine::of).toList(),
        !visible,
        settings.coldAfter().toDays(),
        cold.stream().limit(settings.listLimit()).map(LeadLine::of).toList(),
        cold.size() > settings.listLimit());
  }

  ReportContents.VipContacts vipContacts(TenantId tenant) {
    boolean visible = chatHistoryVisible(tenant);
    ConversationFigures.MostActive vips =
        conversations.mostActive(
            tenant, settings.vipMessages(), visible ? settings.listLimit() : 0);
    return new ReportContents.VipContacts(
        vips.minMessages(),
        vips.total(),
        vips.busiest().stream().map(ContactLine::of).toList(),
        !visible);
  }

  /**
   * Every limited resource of the plan against its limit; messages count this calendar month in
   * {@code zone}.
   */
  public ReportContents.UsagePlan usagePlan(TenantId tenant, Instant now, ZoneId zone) {
    PlanLimits limits = tenants.limits(tenant);
    Instant monthStart =
        now.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
    List<UsageLine> usage = new ArrayList<>();
    usage.add(
        UsageLine.of(
            "messages_this_month",
            "Messages this month",
            conversations.traffic(tenant, monthStart, now).sent(),
            limits.messagesPerMonth()));
    usage.add(
        UsageLine.of("sessions", "Sessions", sessions.list(tenant).size(), limits.maxSessions()));
    groups
        .monitoredCount(tenant)
        .ifPresent(count ->
            usage.add(
                UsageLine.of(
                    "monitored_groups", "Monitored groups", count, limits.maxMonitoredGroups())));
    usage.add(
        UsageLine.of(
            "custom_groups",
            "Custom groups",
            outreach.customGroups(tenant),
            limits.maxCustomGroups()));
    usage.add(
        UsageLine.of(
            "scheduled_reports",
            "Scheduled reports",
            reports.countLive(tenant),
            limits.maxScheduledReports()));
    return ReportContents.UsagePlan.of(limits, usage);
  }
}
