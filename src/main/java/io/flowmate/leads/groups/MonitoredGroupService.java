package io.flowmate.leads.groups;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.PageQuery;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.events.SessionDeleted;
import io.flowmate.leads.MonitoredGroups;
import io.flowmate.messaging.ChatLabels;
import io.flowmate.messaging.Directory;
import io.flowmate.messaging.GroupMessages;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Monitored groups: starting, changing and stopping the monitoring of WhatsApp groups (with the
 * plan's cap and the checks of the reference API), and what other modules read about them ({@link
 * MonitoredGroups}). Every change is handed to {@link GroupWatch} once committed, so detection sees
 * it at once.
 */
@Service
class MonitoredGroupService implements MonitoredGroups {

  static final int MAX_KEYWORDS = 50;
  static final int MAX_KEYWORD_LENGTH = 100;
  static final int MAX_NAME_LENGTH = 255;
  static final int MAX_PROMPT_LENGTH = 2_000;
  static final int MAX_TEMPLATE_LENGTH = 4_096;
  static final int MAX_URL_LENGTH = 2_048;
  static final int LIST_LIMIT = 100;

  /** "Messages in the last 7 days" of the available-groups list. */
  static final Duration ACTIVITY_WINDOW = Duration.ofDays(7);

  private static final int TOP_KEYWORDS = 5;
  private static final String INBOUND = "inbound";

  private final MonitoredGroupRepository groups;
  private final Sessions sessions;
  private final Directory directory;
  private final GroupMessages groupMessages;
  private final Tenants tenants;
  private final GroupWatch watch;
  private final GroupIntentClassifier classifier;
  private final ChatLabels chatLabels;
  private final TransactionTemplate transaction;
  private final Clock clock;

  MonitoredGroupService(
      MonitoredGroupRepository groups,
      Sessions sessions,
      Directory directory,
      GroupMessages groupMessages,
      Tenants tenants,
      GroupWatch watch,
      GroupIntentClassifier classifier,
      ChatLabels chatLabels,
      TransactionTemplate transaction,
      Clock clock) {
    this.groups = groups;
    this.sessions = sessions;
    this.directory = directory;
    this.groupMessages = groupMessages;
    this.tenants = tenants;
    this.watch = watch;
    this.classifier = classifier;
    this.chatLabels = chatLabels;
    this.transaction = transaction;
    this.clock = clock;
  }

  /**
   * What a client asks for; null fields are left as they are (PATCH) or take their defaults (POST).
   * An empty string clears a text field.
   */
  record Changes(
      String name,
      Boolean isActive,
      String monitorMode,
      List<String> monitorKeywords,
      String monitorPrompt,
      Boolean autoRespond,
      String responseTemplate,
      Boolean autoLabelLeads,
      UUID leadLabelId,
      String webhookUrl) {

    static final Changes NONE =
        new Changes(null, null, null, null, null, null, null, null, null, null);
  }

  // --- the API
  // ------------------------------------------------------------------------------------

  MonitoredGroup create(TenantId tenant, UUID sessionId, String waGroupId, Changes request) {
    if (sessionId == null) {
      throw ApiException.invalid("session_id is required");
    }
    if (waGroupId == null || waGroupId.isBlank()) {
      throw ApiException.invalid("wa_group_id is required, e.g. 120363012345678901@g.us");
    }
    ChatId groupId =
        ChatId.tryParse(waGroupId)
            .filter(chat -> chat.kind() == ChatId.Kind.GROUP)
            .orElseThrow(() ->
                ApiException.invalid(
                    "wa_group_id '%s' is not a WhatsApp group id (<id>@g.us)"
                        .formatted(clip(waGroupId))));
    Changes changes = request == null ? Changes.NONE : request;
    SessionInfo session = sessions.get(tenant, SessionId.of(sessionId));
    Instant now = now();
    MonitoredGroup draft =
        apply(
            new MonitoredGroup(
                Ids.newId(),
                tenant,
                session.id().value(),
                groupId,
                null,
                true,
                MonitorMode.DEFAULT,
                List.of(),
                MonitoredGroup.Script.NONE,
                0,
                0,
                null,
                now,
                now,
                now),
            changes,
            now);
    PlanLimits limits = tenants.limits(tenant);
    requirePlanAllows(limits, draft.mode());
    Optional<UUID> existing = groups.idOf(tenant, session.id().value(), groupId);
    if (existing.isPresent()) {
      throw duplicate(groupId, session.id().value(), existing.get());
    }
    Directory.WaGroup waGroup = groupOfSession(tenant, session, groupId);
    MonitoredGroup group =
        draft.name() != null
            ? draft
            : withName(
                draft, waGroup.name() != null ? clip(waGroup.name(), MAX_NAME_LENGTH) : null);
    transaction.executeWithoutResult(status -> {
      groups.lockTenant(tenant);
      long monitored = groups.count(tenant);
      if (!PlanLimits.allowsOneMore(limits.maxMonitoredGroups(), monitored)) {
        throw ApiException.forbidden(
            "The %s plan monitors at most %d groups and %d are monitored; stop monitoring one or upgrade"
                .formatted(limits.displayName(), limits.maxMonitoredGroups(), monitored));
      }
      if (!groups.insertIfAbsent(group)) {
        throw duplicate(
            groupId,
            session.id().value(),
            groups.idOf(tenant, session.id().value(), groupId).orElse(null));
      }
    });
    watch.reload();
    return group;
  }

  MonitoredGroup get(TenantId tenant, UUID id) {
    return groups.find(tenant, id).orElseThrow(() -> ApiException.notFound("Monitored group", id));
  }

  record GroupPage(List<MonitoredGroup> items, long total, PageQuery page) {}

  GroupPage list(TenantId tenant, PageQuery page) {
    return new GroupPage(
        groups.list(tenant, page.limit(), page.offset()), groups.count(tenant), page);
  }

  MonitoredGroup update(TenantId tenant, UUID id, Changes request) {
    MonitoredGroup current = get(tenant, id);
    Instant now = now();
    MonitoredGroup changed = apply(current, request == null ? Changes.NONE : request, now);
    if (changed.mode() != current.mode() || changed.active() && !current.active()) {
      requirePlanAllows(tenants.limits(tenant), changed.mode());
    }
    if (!groups.updateSettings(changed)) {
      throw ApiException.notFound("Monitored group", id);
    }
    watch.reload();
    return get(tenant, id);
  }

  void delete(TenantId tenant, UUID id) {
    if (!groups.delete(tenant, id)) {
      throw ApiException.notFound("Monitored group", id);
    }
    watch.reload();
  }

  /**
   * A deleted session's number is in no group any more: its monitored groups go (their leads stay,
   * as when monitoring is stopped by hand), and stop counting against the plan's cap.
   */
  @ApplicationModuleListener
  void on(SessionDeleted deleted) {
    if (groups.deleteOfSession(deleted.tenantId(), deleted.sessionId().value()) > 0) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              watch.reload();
            }
          });
    }
  }

  /**
   * The groups the session's number is in that it does not monitor, busiest first.
   *
   * @throws ApiException 404 for another tenant's session, 409 when it is not working (groups are
   *     read from WhatsApp)
   */
  List<Unmonitored> available(TenantId tenant, UUID sessionId) {
    SessionInfo session = sessions.get(tenant, SessionId.of(sessionId));
    requireWorking(session);
    return unmonitored(tenant, session.id().value(), ACTIVITY_WINDOW, Integer.MAX_VALUE);
  }

  /**
   * The monitored group's messages, newest first, each incoming one with its classification: the
   * one detection stored (ai_analysis groups), else, on plans with AI, one made now by the same
   * classifier over the group's keywords and prompt. What is classified on reading is not stored,
   * so it never races detection and always reflects the group's current keywords.
   */
  record MessagePage(
      MonitoredGroup group,
      io.flowmate.core.api.Page<GroupMessages.Item> messages,
      Map<UUID, GroupIntentClassifier.Analysis> analyses) {}

  MessagePage messages(TenantId tenant, UUID id, PageQuery page) {
    MonitoredGroup group = get(tenant, id);
    if (!tenants.settings(tenant).chatHistoryAccessEnabled()) {
      throw ApiException.forbidden(
          "Chat history access requires opt-in: enable chat_history_access_enabled in PATCH /api/v2/tenant/settings");
    }
    io.flowmate.core.api.Page<GroupMessages.Item> messages =
        groupMessages.page(tenant, SessionId.of(group.sessionId()), group.waGroupId(), page);
    Map<UUID, GroupIntentClassifier.Analysis> analyses =
        new HashMap<>(
            groups.analyses(
                group.id(),
                messages.items().stream().map(item -> item.messageId().value()).toList()));
    if (tenants.limits(tenant).aiEnabled()) {
      KeywordAutomaton<UUID> keywords = KeywordAutomaton.of(Map.of(group.id(), group.keywords()));
      for (GroupMessages.Item message : messages.items()) {
        if (INBOUND.equals(message.direction()) && message.contentPreview() != null) {
          analyses.computeIfAbsent(
              message.messageId().value(),
              m ->
                  classifier.classify(
                      message.contentPreview(),
                      keywords.match(message.contentPreview(), group.id()),
                      group.script().monitorPrompt()));
        }
      }
    }
    return new MessagePage(group, messages, analyses);
  }

  // --- MonitoredGroups
  // ------------------------------------------------------------------------------

  @Override
  public List<Monitored> monitored(TenantId tenant) {
    return groups.all(tenant).stream()
        .map(g ->
            new Monitored(
                g.id(),
                SessionId.of(g.sessionId()),
                g.waGroupId().value(),
                g.name(),
                g.mode().value(),
                g.active(),
                g.messagesProcessed(),
                g.leadsDetected(),
                g.lastMessageAt()))
        .toList();
  }

  @Override
  public List<Unmonitored> unmonitored(TenantId tenant, Duration window, int limit) {
    return unmonitored(tenant, null, window, limit);
  }

  @Override
  public List<Digest> digest(TenantId tenant, Instant since) {
    List<MonitoredGroup> all = groups.all(tenant);
    Map<UUID, MonitoredGroupRepository.Produced> produced =
        groups.producedSince(all.stream().map(MonitoredGroup::id).toList(), since);
    Map<UUID, Map<ChatId, GroupMessages.Activity>> activity = new HashMap<>();
    all.stream()
        .collect(Collectors.groupingBy(MonitoredGroup::sessionId))
        .forEach((session, inSession) ->
            activity.put(
                session,
                groupMessages.activity(
                    SessionId.of(session),
                    inSession.stream().map(MonitoredGroup::waGroupId).toList(),
                    since)));
    return all.stream()
        .map(g -> {
          MonitoredGroupRepository.Produced p = produced.get(g.id());
          GroupMessages.Activity a = activity.get(g.sessionId()).get(g.waGroupId());
          return new Digest(
              g.id(),
              g.name(),
              a == null ? 0 : a.messagesSince(),
              p.matches(),
              p.leadsDetected(),
              p.keywordCounts().entrySet().stream()
                  .limit(TOP_KEYWORDS)
                  .map(e -> new KeywordCount(e.getKey(), e.getValue()))
                  .toList());
        })
        .sorted(
            Comparator.comparingLong(Digest::matches)
                .reversed()
                .thenComparing(Digest::messages, Comparator.reverseOrder()))
        .toList();
  }

  /** Unmonitored groups of one session (or every working session), busiest first, then largest. */
  private List<Unmonitored> unmonitored(
      TenantId tenant, UUID onlySession, Duration window, int limit) {
    Set<String> monitored = new HashSet<>();
    groups.all(tenant).forEach(g -> monitored.add(g.sessionId() + " " + g.waGroupId().value()));
    Map<UUID, List<Directory.WaGroup>> bySession = new LinkedHashMap<>();
    for (Directory.WaGroup g : directory.groups(tenant)) {
      if ((onlySession == null || onlySession.equals(g.sessionId().value()))
          && !monitored.contains(g.sessionId() + " " + g.groupId().value())) {
        bySession.computeIfAbsent(g.sessionId().value(), s -> new ArrayList<>()).add(g);
      }
    }
    Instant since = clock.instant().minus(window);
    List<Unmonitored> found = new ArrayList<>();
    bySession.forEach((session, inSession) -> {
      Map<ChatId, GroupMessages.Activity> activity =
          groupMessages.activity(
              SessionId.of(session),
              inSession.stream().map(Directory.WaGroup::groupId).toList(),
              since);
      for (Directory.WaGroup g : inSession) {
        GroupMessages.Activity a = activity.get(g.groupId());
        found.add(
            new Unmonitored(
                SessionId.of(session),
                g.groupId().value(),
                g.name(),
                g.participantCount(),
                a == null ? 0 : a.messagesSince(),
                a == null ? null : a.lastMessageAt()));
      }
    });
    return found.stream()
        .sorted(
            Comparator.comparingLong(Unmonitored::messagesInWindow)
                .reversed()
                .thenComparing(Comparator.comparingInt(Unmonitored::memberCount).reversed())
                .thenComparing(
                    Unmonitored::lastMessageAt, Comparator.nullsLast(Comparator.reverseOrder())))
        .limit(limit)
        .toList();
  }

  // --- checks
  // -------------------------------------------------------------------------------------

  private MonitoredGroup apply(MonitoredGroup group, Changes changes, Instant now) {
    MonitorMode mode =
        changes.monitorMode() == null ? group.mode() : MonitorMode.parse(changes.monitorMode());
    List<String> keywords =
        changes.monitorKeywords() == null ? group.keywords() : keywords(changes.monitorKeywords());
    if (mode == MonitorMode.KEYWORDS && keywords.isEmpty()) {
      throw ApiException.invalid(
          "monitor_mode keywords needs at least one keyword in monitor_keywords");
    }
    MonitoredGroup.Script script = group.script();
    script =
        new MonitoredGroup.Script(
            text(
                "monitor_prompt",
                changes.monitorPrompt(),
                script.monitorPrompt(),
                MAX_PROMPT_LENGTH),
            changes.autoRespond() == null ? script.autoRespond() : changes.autoRespond(),
            text(
                "response_template",
                changes.responseTemplate(),
                script.responseTemplate(),
                MAX_TEMPLATE_LENGTH),
            changes.autoLabelLeads() == null ? script.autoLabelLeads() : changes.autoLabelLeads(),
            changes.leadLabelId() == null ? script.leadLabelId() : changes.leadLabelId(),
            webhookUrl(changes.webhookUrl(), script.webhookUrl()));
    if (script.autoRespond() && script.responseTemplate() == null) {
      throw ApiException.invalid("auto_respond needs a response_template to send");
    }
    if (script.autoLabelLeads() && script.leadLabelId() == null) {
      throw ApiException.invalid("auto_label_leads needs a lead_label_id");
    }
    if (changes.leadLabelId() != null
        && !chatLabels.exists(group.tenantId(), changes.leadLabelId())) {
      throw ApiException.invalid(
          "lead_label_id '%s' is not one of your labels (GET /api/v2/labels)"
              .formatted(changes.leadLabelId()));
    }
    boolean active = changes.isActive() == null ? group.active() : changes.isActive();
    // Resuming, or switching to first_message, starts counting first messages afresh.
    boolean restart =
        active && !group.active() || mode == MonitorMode.FIRST_MESSAGE && group.mode() != mode;
    return new MonitoredGroup(
        group.id(),
        group.tenantId(),
        group.sessionId(),
        group.waGroupId(),
        text("name", changes.name(), group.name(), MAX_NAME_LENGTH),
        active,
        mode,
        keywords,
        script,
        group.messagesProcessed(),
        group.leadsDetected(),
        group.lastMessageAt(),
        restart ? now : group.monitoringSince(),
        group.createdAt(),
        now);
  }

  /** Keywords as written (trimmed), without duplicates that read the same to matching. */
  static List<String> keywords(List<String> raw) {
    if (raw.size() > MAX_KEYWORDS) {
      throw ApiException.invalid(
          "monitor_keywords may hold at most %d keywords, got %d"
              .formatted(MAX_KEYWORDS, raw.size()));
    }
    Map<String, String> byNormalized = new LinkedHashMap<>();
    for (String keyword : raw) {
      if (keyword == null || keyword.isBlank()) {
        throw ApiException.invalid("monitor_keywords must not contain empty keywords");
      }
      String stripped = keyword.strip();
      if (stripped.length() > MAX_KEYWORD_LENGTH) {
        throw ApiException.invalid(
            "monitor_keywords: '%s' is longer than %d characters"
                .formatted(clip(stripped), MAX_KEYWORD_LENGTH));
      }
      String normalized = KeywordText.normalize(stripped);
      if (KeywordText.isBlank(normalized)) {
        throw ApiException.invalid(
            "monitor_keywords: '%s' has no letters or digits to match".formatted(clip(stripped)));
      }
      byNormalized.putIfAbsent(normalized, stripped);
    }
    return List.copyOf(byNormalized.values());
  }

  private static String text(String field, String requested, String current, int maxLength) {
    if (requested == null) {
      return current;
    }
    String text = requested.strip();
    if (text.isEmpty()) {
      return null;
    }
    if (text.length() > maxLength) {
      throw ApiException.invalid("%s must be at most %d characters".formatted(field, maxLength));
    }
    return text;
  }

  private static String webhookUrl(String requested, String current) {
    String url = text("webhook_url", requested, current, MAX_URL_LENGTH);
    if (url == null || Objects.equals(url, current)) {
      return url;
    }
    try {
      URI uri = new URI(url);
      if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (Exception e) {
      throw ApiException.invalid("webhook_url '%s' is not an http(s) URL".formatted(clip(url)));
    }
    return url;
  }

  private static void requirePlanAllows(PlanLimits limits, MonitorMode mode) {
    if (mode == MonitorMode.AI_ANALYSIS && !limits.aiEnabled()) {
      throw ApiException.forbidden(
          "monitor_mode ai_analysis is not included in the %s plan; upgrade to Pro or higher, or use keywords"
              .formatted(limits.displayName()));
    }
  }

  private Directory.WaGroup groupOfSession(TenantId tenant, SessionInfo session, ChatId groupId) {
    requireWorking(session);
    return directory.groups(tenant).stream()
        .filter(g -> g.sessionId().equals(session.id()) && g.groupId().equals(groupId))
        .findFirst()
        .orElseThrow(() ->
            ApiException.invalid(
                "the number of session '%s' is not in WhatsApp group '%s'; GET /api/v2/groups/available/%s lists its groups"
                    .formatted(session.id(), groupId, session.id())));
  }

  private static void requireWorking(SessionInfo session) {
    if (!session.isWorking()) {
      throw ApiException.conflict(
          "Session '%s' is %s: start it, its groups are read from WhatsApp"
              .formatted(session.id(), session.status().value()));
    }
  }

  private static ApiException duplicate(ChatId group, UUID session, UUID existing) {
    return ApiException.conflict(
        "group '%s' is already monitored by session '%s': monitored group %s"
            .formatted(group, session, existing));
  }

  private static MonitoredGroup withName(MonitoredGroup g, String name) {
    return new MonitoredGroup(
        g.id(),
        g.tenantId(),
        g.sessionId(),
        g.waGroupId(),
        name,
        g.active(),
        g.mode(),
        g.keywords(),
        g.script(),
        g.messagesProcessed(),
        g.leadsDetected(),
        g.lastMessageAt(),
        g.monitoringSince(),
        g.createdAt(),
        g.updatedAt());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static String clip(String text) {
    return clip(text, 40);
  }

  private static String clip(String text, int length) {
    return text.length() > length ? text.substring(0, length) + "…" : text;
  }
}
