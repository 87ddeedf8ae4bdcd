package io.flowmate.analytics.health;

import io.flowmate.admin.Tenants;
import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.analytics.report.GroupMonitoringFigures;
import io.flowmate.analytics.report.ReportContents;
import io.flowmate.analytics.report.ReportContents.ContactLine;
import io.flowmate.analytics.report.ReportContents.LeadLine;
import io.flowmate.analytics.report.ReportContents.SessionLine;
import io.flowmate.analytics.report.ReportContents.UsagePlan;
import io.flowmate.analytics.report.ReportFigures;
import io.flowmate.analytics.report.ReportText;
import io.flowmate.core.TenantId;
import io.flowmate.core.schedule.Recurrence;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.Scopes;
import io.flowmate.leads.Leads;
import io.flowmate.leads.MonitoredGroups;
import io.flowmate.messaging.ConversationFigures;
import io.flowmate.outreach.OutreachFigures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The account health report (reference §6): a read-only scan of the tenant's account, one section
 * per concern, each with its figures, ✅ or ❌, and the API calls that would fix what it found.
 *
 * <p>It runs in a read-only transaction, so PostgreSQL itself refuses any write: reading the report
 * changes nothing, not even unread counters. Sections show people (contacts, leads, groups) only to
 * keys holding the scope that reads them elsewhere in the API; without it a section is skipped and
 * says which scope it needs. Who is behind a conversation stays hidden while the tenant's chat
 * history access is off, as it is for the chat API.
 */
@Service
class HealthReport {

  static final String OK = "ok";
  static final String ATTENTION = "attention";
  static final String SKIPPED = "skipped";

  /** Keywords the reference suggests for a newly monitored group. */
  static final List<String> SUGGESTED_KEYWORDS =
      List.of("interested", "looking for", "need", "price");

  /** How recent a group's messages must be for it to count as active. */
  static final Duration ACTIVE_GROUP_WINDOW = Duration.ofDays(7);

  /** How many contacts, leads or groups get an action of their own. */
  static final int ACTIONS_PER_SECTION = 3;

  private final ReportFigures figures;
  private final ConversationFigures conversations;
  private final OutreachFigures outreach;
  private final Leads leads;
  private final GroupMonitoringFigures groups;
  private final Tenants tenants;
  private final AnalyticsSettings.Reports settings;
  private final Clock clock;

  HealthReport(
      ReportFigures figures,
      ConversationFigures conversations,
      OutreachFigures outreach,
      Leads leads,
      GroupMonitoringFigures groups,
      Tenants tenants,
      AnalyticsSettings settings,
      Clock clock) {
    this.figures = figures;
    this.conversations = conversations;
    this.outreach = outreach;
    this.leads = leads;
    this.groups = groups;
    this.tenants = tenants;
    this.settings = settings.reports();
    this.clock = clock;
  }

  /**
   * A suggested next step: the API call to make.
   *
   * @param body the request body to send, or null
   */
  record Action(String title, String method, String path, Object body) {}

  /**
   * One concern of the account.
   *
   * @param status {@code ok} (✅), {@code attention} (❌) or {@code skipped} (the key may not read
   *     it)
   * @param figures what was found, or null when skipped
   * @param note why it was skipped, or what is hidden and why
   */
  record Section(
      String id,
      String title,
      String status,
      String icon,
      String summary,
      Object figures,
      List<Action> actions,
      String note) {}

  record Summary(int ok, int attention, int skipped) {}

  /**
   * @param text the whole report as a WhatsApp-friendly text
   */
  record View(
      Instant generatedAt,
      String timezone,
      String plan,
      Summary summary,
      List<Section> sections,
      String text) {}

  @Transactional(readOnly = true)
  View scan(Caller caller) {
    TenantId tenant = caller.tenantId();
    Instant now = clock.instant();
    ZoneId zone = Recurrence.zone(tenants.settings(tenant).timezone());
    boolean chatHistory = figures.chatHistoryVisible(tenant);
    List<SessionLine> sessionLines =
        caller.has(Scopes.SESSIONS_READ) ? figures.sessionLines(tenant) : List.of();
    List<Section> sections = new ArrayList<>();
    sections.add(
        caller.has(Scopes.SESSIONS_READ)
            ? sessions(sessionLines)
            : skipped("sessions", "WhatsApp sessions", Scopes.SESSIONS_READ));
    sections.add(
        caller.has(Scopes.MESSAGES_READ)
            ? unanswered(tenant, chatHistory)
            : skipped("unanswered_contacts", "Unanswered contacts", Scopes.MESSAGES_READ));
    sections.add(
        caller.has(Scopes.LEADS_READ)
            ? coldLeads(tenant, now, sessionLines)
            : skipped("cold_leads", "Leads going cold", Scopes.LEADS_READ));
    sections.add(
        caller.has(Scopes.MESSAGES_READ)
            ? vips(tenant, chatHistory)
            : skipped("vip_contacts", "VIP contacts", Scopes.MESSAGES_READ));
    sections.add(
        caller.has(Scopes.GROUPS_READ)
            ? unmonitoredGroups(tenant)
            : skipped("unmonitored_groups", "Unmonitored active groups", Scopes.GROUPS_READ));
    sections.add(usage(tenant, now, zone));
    Summary summary =
        new Summary(
            (int) sections.stream().filter(s -> s.status().equals(OK)).count(),
            (int) sections.stream().filter(s -> s.status().equals(ATTENTION)).count(),
            (int) sections.stream().filter(s -> s.status().equals(SKIPPED)).count());
    String plan = tenants.limits(tenant).displayName();
    return new View(now, zone.getId(), plan, summary, sections, text(plan, summary, sections));
  }

  private Section sessions(List<SessionLine> sessions) {
    ReportContents.SessionHealth health = ReportContents.SessionHealth.of(sessions);
    List<Action> actions = new ArrayList<>();
    if (sessions.isEmpty()) {
      actions.add(
          new Action(
              "Connect a WhatsApp number", "POST", "/api/v2/sessions", Map.of("name", "main")));
    }
    for (SessionLine session : sessions) {
      String path = "/api/v2/sessions/" + session.id();
      switch (session.status()) {
        case "working", "starting" -> {}
        case "qr_code" ->
            actions.add(
                new Action(
                    "Scan the QR code of " + session.name() + " with the phone",
                    "GET",
                    path + "/qr",
                    null));
        case "passkey_required" ->
            actions.add(
                new Action(
                    "Confirm the passkey WhatsApp shows on the phone for " + session.name(),
                    "GET",
                    path,
                    null));
        default ->
            actions.add(
                new Action("Start " + session.name() + " again", "POST", path + "/start", null));
      }
    }
    boolean ok = !sessions.isEmpty() && health.working() == health.total();
    String summary =
        sessions.isEmpty()
            ? "No WhatsApp number connected"
            : "%d of %d working".formatted(health.working(), health.total());
    return section("sessions", "WhatsApp sessions", ok, summary, health, actions, null);
  }

  private Section unanswered(TenantId tenant, boolean chatHistory) {
    ConversationFigures.Unanswered unanswered =
        conversations.unanswered(tenant, chatHistory ? settings.listLimit() : 0);
    List<ContactLine> contacts = unanswered.longestWaiting().stream().map(ContactLine::of).toList();
    List<Action> actions = new ArrayList<>();
    contacts.stream()
        .limit(ACTIONS_PER_SECTION)
        .forEach(c -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("session_id", c.sessionId());
          body.put("chat_id", c.chatId());
          body.put("message", "<your reply>");
          actions.add(
              new Action(
                  "Reply to " + ReportText.contact(c.name(), c.chatId()),
                  "POST",
                  "/api/v2/messages/send",
                  body));
        });
    String note = null;
    if (!chatHistory && unanswered.total() > 0) {
      note = "Who they are stays hidden while chat history access is off";
      actions.add(chatHistoryAction());
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("total", unanswered.total());
    figures.put("contacts", contacts);
    figures.put("contacts_hidden", !chatHistory);
    return section(
        "unanswered_contacts",
        "Unanswered contacts",
        unanswered.total() == 0,
        unanswered.total() == 0
            ? "Everyone who wrote got an answer"
            : "%d contact(s) wrote and got no reply".formatted(unanswered.total()),
        figures,
        actions,
        note);
  }

  private Section coldLeads(TenantId tenant, Instant now, List<SessionLine> sessions) {
    // One more than listed tells whether there are more: exactly listLimit cold leads are not
    // "10+".
    List<Leads.LeadSummary> found =
        leads.goingCold(tenant, now.minus(settings.coldAfter()), settings.listLimit() + 1);
    boolean more = found.size() > settings.listLimit();
    List<LeadLine> cold = found.stream().limit(settings.listLimit()).map(LeadLine::of).toList();
    List<Action> actions = new ArrayList<>();
    // Never suggest writing to someone who has not written first: check reciprocity before
    // replying.
    Optional<UUID> session =
        sessions.stream().filter(SessionLine::working).map(SessionLine::id).findFirst();
    cold.stream()
        .limit(ACTIONS_PER_SECTION)
        .forEach(lead ->
            actions.add(
                new Action(
                    "Check whether "
                        + ReportText.contact(lead.contactName(), lead.contactPhone() + "@c.us")
                        + " wrote to you first, then follow up",
                    "GET",
                    "/api/v2/leads/"
                        + lead.id()
                        + "/reciprocity?session_id="
                        + session.map(UUID::toString).orElse("<session id>"),
                    null)));
    if (!cold.isEmpty()) {
      actions.add(
          new Action(
              "Close the leads that are gone",
              "POST",
              "/api/v2/leads/bulk/status",
              Map.of("lead_ids", cold.stream().map(LeadLine::id).toList(), "status", "lost")));
    }
    long days = settings.coldAfter().toDays();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("cold_after_days", days);
    figures.put("total", cold.size());
    figures.put("leads", cold);
    return section(
        "cold_leads",
        "Leads going cold",
        cold.isEmpty(),
        cold.isEmpty()
            ? "No open lead has been quiet for %d+ days".formatted(days)
            : "%d%s open lead(s) quiet for %d+ days".formatted(cold.size(), more ? "+" : "", days),
        figures,
        actions,
        null);
  }

  private Section vips(TenantId tenant, boolean chatHistory) {
    ConversationFigures.MostActive vips =
        conversations.mostActive(tenant, settings.vipMessages(), settings.listLimit());
    List<ContactLine> contacts = vips.busiest().stream().map(ContactLine::of).toList();
    Map<String, String> phones = new LinkedHashMap<>();
    contacts.forEach(c -> {
      if (c.chatId().endsWith("@c.us")) {
        phones.put(c.chatId().substring(0, c.chatId().indexOf('@')), c.name());
      }
    });
    Set<String> listed = outreach.inAnyCustomGroup(tenant, phones.keySet());
    List<Map<String, Object>> outside = new ArrayList<>();
    phones.forEach((phone, name) -> {
      if (!listed.contains(phone)) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("phone", phone);
        if (name != null) {
          member.put("name", name);
        }
        outside.add(member);
      }
    });
    List<Action> actions = new ArrayList<>();
    String note = null;
    if (!outside.isEmpty()) {
      if (chatHistory) {
        actions.add(
            new Action(
                "Keep your VIPs in a contact list for follow-ups and campaigns",
                "POST",
                "/api/v2/custom-groups",
                Map.of("name", "VIP contacts", "members", outside)));
      } else {
        note = "Who they are stays hidden while chat history access is off";
        actions.add(chatHistoryAction());
      }
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("min_messages", vips.minMessages());
    figures.put("total", vips.total());
    figures.put("not_in_a_custom_group", outside.size());
    figures.put("contacts", chatHistory ? contacts : List.of());
    figures.put("contacts_hidden", !chatHistory);
    String summary =
        vips.total() == 0
            ? "No contact has %d+ messages yet".formatted(vips.minMessages())
            : "%d contact(s) with %d+ messages, %d in no custom group"
                .formatted(vips.total(), vips.minMessages(), outside.size());
    return section(
        "vip_contacts", "VIP contacts", outside.isEmpty(), summary, figures, actions, note);
  }

  private Section unmonitoredGroups(TenantId tenant) {
    Optional<List<MonitoredGroups.Unmonitored>> found =
        groups.unmonitored(tenant, ACTIVE_GROUP_WINDOW, settings.listLimit() + 1);
    if (found.isEmpty()) {
      return new Section(
          "unmonitored_groups",
          "Unmonitored active groups",
          SKIPPED,
          "➖",
          "Group monitoring is not available",
          null,
          List.of(),
          "This Flowmate has no group monitoring to ask");
    }
    // Busiest first, so the active ones come first; one more than listed tells whether there are
    // more.
    List<MonitoredGroups.Unmonitored> busy =
        found.get().stream().filter(g -> g.messagesInWindow() > 0).toList();
    boolean more = busy.size() > settings.listLimit();
    List<MonitoredGroups.Unmonitored> active = busy.stream().limit(settings.listLimit()).toList();
    List<Action> actions = new ArrayList<>();
    active.stream()
        .limit(ACTIONS_PER_SECTION)
        .forEach(group -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("session_id", group.sessionId());
          body.put("wa_group_id", group.waGroupId());
          body.put("name", group.name());
          body.put("monitor_mode", "keywords");
          body.put("monitor_keywords", SUGGESTED_KEYWORDS);
          actions.add(
              new Action("Monitor " + group.name() + " for leads", "POST", "/api/v2/groups", body));
        });
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("window_days", ACTIVE_GROUP_WINDOW.toDays());
    figures.put("total", active.size());
    figures.put("groups", active);
    return section(
        "unmonitored_groups",
        "Unmonitored active groups",
        active.isEmpty(),
        active.isEmpty()
            ? "Every active group is monitored"
            : "%d%s active group(s) not monitored for leads"
                .formatted(active.size(), more ? "+" : ""),
        figures,
        actions,
        null);
  }

  private Section usage(TenantId tenant, Instant now, ZoneId zone) {
    UsagePlan usage = figures.usagePlan(tenant, now, zone);
    List<Action> actions = new ArrayList<>();
    boolean nearLimit = false;
    for (UsagePlan.UsageLine line : usage.usage()) {
      if (UsagePlan.UsageLine.NEAR_LIMIT.equals(line.level())) {
        nearLimit = true;
      }
    }
    if (nearLimit) {
      actions.add(
          new Action(
              "Compare the plans and ask your operator for a larger one",
              "GET",
              "/api/v2/billing/plans",
              null));
    }
    for (UsagePlan.UsageLine line : usage.usage()) {
      if (UsagePlan.UsageLine.IDLE.equals(line.level())) {
        idleAction(line.metric()).ifPresent(actions::add);
      }
    }
    String summary =
        nearLimit
            ? "Near a limit of the %s plan".formatted(usage.plan())
            : "Within the %s plan's limits".formatted(usage.plan());
    return section("usage", "Usage and plan", !nearLimit, summary, usage, actions, null);
  }

  private static Optional<Action> idleAction(String metric) {
    return switch (metric) {
      case "sessions" ->
          Optional.of(
              new Action(
                  "Connect another number",
                  "POST",
                  "/api/v2/sessions",
                  Map.of("name", "second number")));
      case "monitored_groups" ->
          Optional.of(
              new Action("Monitor a WhatsApp group for leads", "POST", "/api/v2/groups", null));
      case "custom_groups" ->
          Optional.of(
              new Action(
                  "Build a contact list",
                  "POST",
                  "/api/v2/custom-groups",
                  Map.of("name", "Hot leads")));
      case "scheduled_reports" ->
          Optional.of(
              new Action(
                  "Get the lead pipeline every Monday at 09:00",
                  "POST",
                  "/api/v2/reports",
                  Map.of(
                      "template_id",
                      "lead_pipeline",
                      "schedule_type",
                      "cron",
                      "cron_expression",
                      "0 9 * * 1")));
      default -> Optional.empty();
    };
  }

  private static Action chatHistoryAction() {
    return new Action(
        "Let Flowmate show who wrote (chat history access)",
        "PATCH",
        "/api/v2/tenant/settings",
        Map.of("chat_history_access_enabled", true));
  }

  private static Section section(
      String id,
      String title,
      boolean ok,
      String summary,
      Object figures,
      List<Action> actions,
      String note) {
    return new Section(
        id, title, ok ? OK : ATTENTION, ok ? "✅" : "❌", summary, figures, actions, note);
  }

  private static Section skipped(String id, String title, String scope) {
    return new Section(
        id,
        title,
        SKIPPED,
        "➖",
        "Not checked: the API key lacks " + scope,
        null,
        List.of(),
        "Needs scope " + scope + "; this key may not read it elsewhere in the API either");
  }

  private static String text(String plan, Summary summary, List<Section> sections) {
    StringBuilder out = new StringBuilder();
    out.append("🩺 *Account health* (").append(plan).append(")\n");
    out.append("%d ✅ · %d ❌".formatted(summary.ok(), summary.attention()));
    if (summary.skipped() > 0) {
      out.append(" · %d not checked".formatted(summary.skipped()));
    }
    for (Section section : sections) {
      out.append("\n\n")
          .append(section.icon())
          .append(" *")
          .append(section.title())
          .append("*\n")
          .append(section.summary());
      for (Action action : section.actions()) {
        out.append("\n→ ")
            .append(action.title())
            .append(": ")
            .append(action.method())
            .append(' ')
            .append(action.path());
      }
    }
    return out.toString();
  }
}
