package io.flowmate.leads.groups;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.messaging.GroupMessages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * MoltFlow-compatible group monitoring (reference API §1.1 Groups): which WhatsApp groups are
 * watched for leads, how, and what they produced. Group administration (create, participants,
 * admins) is not offered here.
 */
@RestController
@RequestMapping("/api/v2/groups")
@Tag(name = "Groups", description = "Monitored WhatsApp groups and lead detection in them")
class GroupController {

  private final MonitoredGroupService groups;

  GroupController(MonitoredGroupService groups) {
    this.groups = groups;
  }

  record GroupView(
      UUID id,
      UUID sessionId,
      String waGroupId,
      String name,
      boolean isActive,
      String monitorMode,
      List<String> monitorKeywords,
      String monitorPrompt,
      boolean autoRespond,
      String responseTemplate,
      boolean autoLabelLeads,
      UUID leadLabelId,
      String webhookUrl,
      long leadsDetected,
      long messagesProcessed,
      Instant lastMessageAt,
      Instant monitoringSince,
      Instant createdAt,
      Instant updatedAt) {

    static GroupView of(MonitoredGroup g) {
      MonitoredGroup.Script s = g.script();
      return new GroupView(
          g.id(),
          g.sessionId(),
          g.waGroupId().value(),
          g.name(),
          g.active(),
          g.mode().value(),
          g.keywords(),
          s.monitorPrompt(),
          s.autoRespond(),
          s.responseTemplate(),
          s.autoLabelLeads(),
          s.leadLabelId(),
          s.webhookUrl(),
          g.leadsDetected(),
          g.messagesProcessed(),
          g.lastMessageAt(),
          g.monitoringSince(),
          g.createdAt(),
          g.updatedAt());
    }
  }

  record GroupList(List<GroupView> items, long total, int limit, int offset) {}

  /** POST body: which group, and the monitoring settings (PATCH takes the same settings). */
  record CreateRequest(
      UUID sessionId,
      String waGroupId,
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

    MonitoredGroupService.Changes changes() {
      return new MonitoredGroupService.Changes(
          name,
          isActive,
          monitorMode,
          monitorKeywords,
          monitorPrompt,
          autoRespond,
          responseTemplate,
          autoLabelLeads,
          leadLabelId,
          webhookUrl);
    }
  }

  record AvailableGroup(
      UUID sessionId,
      String waGroupId,
      String name,
      int memberCount,
      @JsonProperty("messages_last_7_days") long messagesLast7Days,
      Instant lastMessageAt) {}

  record AvailableList(List<AvailableGroup> items, long total) {}

  record AiAnalysis(String intent, int leadScore, double confidence, String reason) {}

  record GroupMessageView(
      UUID id,
      String direction,
      String senderPhone,
      String senderName,
      String messageType,
      String contentPreview,
      Instant waTimestamp,
      AiAnalysis aiAnalysis) {}

  record GroupMessageList(
      List<GroupMessageView> items, long total, int limit, int offset, boolean hasMore) {}

  @GetMapping
  @RequiresScope(Scopes.GROUPS_READ)
  @Operation(
      summary = "List monitored groups, oldest first, with leads_detected and messages_processed",
      description = "limit defaults to 100 (every group of the largest plan), offset to 0.")
  GroupList list(
      Caller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    MonitoredGroupService.GroupPage page =
        groups.list(
            caller.tenantId(),
            PageQuery.of(limit == null ? MonitoredGroupService.LIST_LIMIT : limit, offset));
    return new GroupList(
        page.items().stream().map(GroupView::of).toList(),
        page.total(),
        page.page().limit(),
        page.page().offset());
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.GROUPS_MANAGE)
  @Operation(
      summary = "Start monitoring a WhatsApp group the session's number is in",
      description =
          "session_id and wa_group_id (<id>@g.us) are required. monitor_mode: all | keywords | mentions |"
              + " first_message (default) | ai_analysis (Pro+; keyword and ai_prompt are accepted too)."
              + " keywords mode needs monitor_keywords (at most 50, each at most 100 characters; matched"
              + " as whole words or phrases, ignoring case, accents and punctuation). Also: name (defaults"
              + " to the group's subject), monitor_prompt, auto_respond with response_template,"
              + " auto_label_leads with lead_label_id (one of your labels: a new lead's chat gets it),"
              + " webhook_url (stored). 409 if the number already monitors"
              + " the group, 403 beyond the plan's monitored-group cap.")
  GroupView create(Caller caller, @RequestBody(required = false) CreateRequest request) {
    CreateRequest body =
        request == null
            ? new CreateRequest(
                null, null, null, null, null, null, null, null, null, null, null, null)
            : request;
    return GroupView.of(
        groups.create(caller.tenantId(), body.sessionId(), body.waGroupId(), body.changes()));
  }

  @GetMapping("/available/{sessionId}")
  @RequiresScope(Scopes.GROUPS_READ)
  @Operation(
      summary = "WhatsApp groups the number is in but does not monitor, busiest first",
      description =
          "Each with its member count, messages in the last 7 days and its last message: high-value"
              + " groups you are not monitoring. 409 while the session is not working.")
  AvailableList available(Caller caller, @PathVariable UUID sessionId) {
    List<AvailableGroup> items =
        groups.available(caller.tenantId(), sessionId).stream()
            .map(g ->
                new AvailableGroup(
                    g.sessionId().value(),
                    g.waGroupId(),
                    g.name(),
                    g.memberCount(),
                    g.messagesInWindow(),
                    g.lastMessageAt()))
            .toList();
    return new AvailableList(items, items.size());
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.GROUPS_READ)
  @Operation(summary = "A monitored group with its settings and figures")
  GroupView get(Caller caller, @PathVariable UUID id) {
    return GroupView.of(groups.get(caller.tenantId(), id));
  }

  @PatchMapping("/{id}")
  @RequiresScope(Scopes.GROUPS_MANAGE)
  @Operation(
      summary = "Change a monitored group's settings, or pause and resume it with is_active",
      description = "Fields left out stay as they are; an empty string clears a text field.")
  GroupView update(
      Caller caller, @PathVariable UUID id, @RequestBody(required = false) CreateRequest request) {
    if (request != null && (request.sessionId() != null || request.waGroupId() != null)) {
      throw io.flowmate.core.api.ApiException.invalid(
          "session_id and wa_group_id cannot be changed; monitor the other group instead");
    }
    return GroupView.of(
        groups.update(
            caller.tenantId(),
            id,
            request == null ? MonitoredGroupService.Changes.NONE : request.changes()));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.GROUPS_MANAGE)
  @Operation(summary = "Stop monitoring a group (its leads stay)")
  void delete(Caller caller, @PathVariable UUID id) {
    groups.delete(caller.tenantId(), id);
  }

  @GetMapping("/{id}/messages")
  @RequiresScope(Scopes.GROUPS_READ)
  @Operation(
      summary =
          "The monitored group's messages, newest first, each incoming one with its ai_analysis",
      description =
          "limit 1-100 (default 50), offset; has_more says whether another page follows. ai_analysis"
              + " {intent, lead_score, confidence, reason}: as detection classified it in ai_analysis mode,"
              + " else (plans with AI) classified on reading with the group's keywords and monitor_prompt;"
              + " null for our own messages, media without text and plans without AI. Reading messages"
              + " needs the tenant's chat-history opt-in (403 otherwise).")
  GroupMessageList messages(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    MonitoredGroupService.MessagePage page =
        groups.messages(caller.tenantId(), id, PageQuery.of(limit, offset));
    io.flowmate.core.api.Page<GroupMessages.Item> messages = page.messages();
    return new GroupMessageList(
        messages.items().stream()
            .map(m -> {
              GroupIntentClassifier.Analysis a = page.analyses().get(m.messageId().value());
              return new GroupMessageView(
                  m.messageId().value(),
                  m.direction(),
                  m.senderPhone(),
                  m.senderName(),
                  m.messageType(),
                  m.contentPreview(),
                  m.waTimestamp(),
                  a == null
                      ? null
                      : new AiAnalysis(
                          a.intent().value(), a.leadScore(), a.confidence(), a.reason()));
            })
            .toList(),
        messages.total(),
        messages.limit(),
        messages.offset(),
        messages.hasMore());
  }
}
