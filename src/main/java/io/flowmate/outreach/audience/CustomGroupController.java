package io.flowmate.outreach.audience;

import io.flowmate.core.SessionId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.messaging.Directory;
import io.flowmate.outreach.audience.CustomGroupRepository.Group;
import io.flowmate.outreach.audience.CustomGroupRepository.Member;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
 * MoltFlow-compatible custom groups: the tenant's contact lists, which bulk sends and schedules
 * target. Besides the reference API's endpoints, CSV and JSON imports for lists too long for one
 * add request.
 */
@RestController
@RequestMapping("/api/v2/custom-groups")
@Tag(
    name = "Custom groups",
    description = "Contact lists: the audiences of bulk sends and schedules")
class CustomGroupController {

  private final CustomGroupService groups;
  private final MemberFiles files;
  private final Directory directory;

  CustomGroupController(CustomGroupService groups, MemberFiles files, Directory directory) {
    this.groups = groups;
    this.files = files;
    this.directory = directory;
  }

  // --- requests ---------------------------------------------------------------------------------

  /** A member as sent: the phone number in any common notation, an optional name, custom fields. */
  record ContactRequest(String phone, String name, Map<String, String> fields) {

    /** Null entries stay null, to be reported as bad rows by their index. */
    static CustomGroupService.MemberInput inputOrNull(ContactRequest contact) {
      return contact == null
          ? null
          : new CustomGroupService.MemberInput(contact.phone, contact.name, contact.fields);
    }
  }

  record CreateRequest(@NotBlank @Size(max = 255) String name, List<ContactRequest> members) {}

  record RenameRequest(@NotBlank @Size(max = 255) String name) {}

  record AddRequest(List<ContactRequest> contacts) {}

  record RemoveRequest(List<String> phones, List<UUID> memberIds) {}

  record WaGroupRequest(@NotBlank String waGroupId, @NotNull UUID sessionId) {}

  record FromWaGroupsRequest(
      @NotBlank @Size(max = 255) String name,
      @NotEmpty List<@NotNull @Valid WaGroupRequest> waGroups) {}

  // --- views ------------------------------------------------------------------------------------

  record GroupView(UUID id, String name, long memberCount, Instant createdAt, Instant updatedAt) {
    static GroupView of(Group g) {
      return new GroupView(g.id(), g.name(), g.memberCount(), g.createdAt(), g.updatedAt());
    }
  }

  record CreatedView(
      UUID id,
      String name,
      long memberCount,
      Instant createdAt,
      Instant updatedAt,
      long added,
      long skipped,
      long failed,
      List<MemberBatches.RowError> errors) {}

  record MemberView(
      UUID id, String phone, String name, Map<String, String> fields, Instant createdAt) {
    static MemberView of(Member m) {
      return new MemberView(m.id(), m.phone(), m.name(), m.fields(), m.createdAt());
    }
  }

  /** The group with one page of its members ({@code member_count} is the total). */
  record DetailView(
      UUID id,
      String name,
      long memberCount,
      Instant createdAt,
      Instant updatedAt,
      List<MemberView> members,
      int limit,
      int offset,
      boolean hasMore) {}

  record AddedView(
      long added,
      long skipped,
      long failed,
      List<MemberBatches.RowError> errors,
      long memberCount) {}

  record RemovedView(int removed, long memberCount) {}

  record ImportedView(
      long imported,
      long skipped,
      long failed,
      List<MemberBatches.RowError> errors,
      boolean errorsTruncated,
      long memberCount) {
    static ImportedView of(MemberFiles.Imported imported) {
      MemberBatches.Outcome o = imported.outcome();
      return new ImportedView(
          o.added(),
          o.skipped(),
          o.failed(),
          o.errors(),
          o.errorsTruncated(),
          imported.memberCount());
    }
  }

  record ContactView(
      String phone, String name, String lid, List<UUID> sessionIds, Instant lastInboundAt) {}

  record WaGroupView(
      String waGroupId, UUID sessionId, String sessionName, String name, int participantCount) {}

  /**
   * @param participants participants read over all groups (the sessions' own numbers not counted)
   * @param duplicates participants in more than one of the groups, added once
   * @param skippedLidOnly participants WhatsApp shows only by linked id, without a phone number
   * @param skippedInvalid participants whose number is not a valid phone number
   */
  record FromWaGroupsView(
      UUID id,
      String name,
      long memberCount,
      Instant createdAt,
      Instant updatedAt,
      int participants,
      long added,
      int duplicates,
      int skippedLidOnly,
      int skippedInvalid) {}

  // --- groups -----------------------------------------------------------------------------------

  @GetMapping
  @RequiresScope(Scopes.CUSTOM_GROUPS_READ)
  @Operation(summary = "The tenant's custom groups with their member counts")
  Page<GroupView> list(
      Caller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return groups.list(caller.tenantId(), PageQuery.of(limit, offset)).map(GroupView::of);
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.CUSTOM_GROUPS_MANAGE)
  @Operation(summary = "Create a custom group, optionally with up to 1,000 members")
  CreatedView create(Caller caller, @Valid @RequestBody CreateRequest request) {
    CustomGroupService.Created created =
        groups.create(
            caller.tenantId(),
            request.name().strip(),
            request.members() == null
                ? List.of()
                : request.members().stream().map(ContactRequest::inputOrNull).toList());
    Group g = created.group();
    MemberBatches.Outcome o = created.members();
    return new CreatedView(
        g.id(),
        g.name(),
        g.memberCount(),
        g.createdAt(),
        g.updatedAt(),
        o.added(),
        o.skipped(),
        o.failed(),
        o.errors());
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.CUSTOM_GROUPS_READ)
  @Operation(summary = "The custom group with a page of its members (limit, offset)")
  DetailView get(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    CustomGroupService.Detail detail =
        groups.detail(caller.tenantId(), id, PageQuery.of(limit, offset));
    Group g = detail.group();
    PageQuery page = detail.page();
    return new DetailView(
        g.id(),
        g.name(),
        g.memberCount(),
        g.createdAt(),
        g.updatedAt(),
        detail.members().stream().map(MemberView::of).toList(),
        page.limit(),
        page.offset(),
        page.offset() + detail.members().size() < g.memberCount());
  }

  @PatchMapping("/{id}")
  @RequiresScope(Scopes.CUSTOM_GROUPS_MANAGE)
  @Operation(summary = "Rename the custom group")
  GroupView rename(
      Caller caller, @PathVariable UUID id, @Valid @RequestBody RenameRequest request) {
    return GroupView.of(groups.rename(caller.tenantId(), id, request.name().strip()));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.CUSTOM_GROUPS_MANAGE)
  @Operation(summary = "Delete the custom group and its members")
  void delete(Caller caller, @PathVariable UUID id) {
    groups.delete(caller.tenantId(), id);
  }

  // --- members ----------------------------------------------------------------------------------

  @PostMapping("/{id}/members/add")
  @RequiresScope(Scopes.CUSTOM_GROUPS_MANAGE)
  @Operation(
      summary = "Add up to 1,000 members",
      description =
          "Members the group already has are skipped; invalid rows are reported by index and the others added")
  AddedView addMembers(Caller caller, @PathVariable UUID id, @RequestBody AddRequest request) {
    CustomGroupService.Added added =
        groups.addMembers(
            caller.tenantId(),
            id,
            request.contacts() == null
                ? null
                : request.contacts().stream().map(ContactRequest::inputOrNull).toList());
    MemberBatches.Outcome o = added.outcome();
    return new AddedView(o.added(), o.skipped(), o.failed(), o.errors(), added.memberCount());
  }

  @PostMapping("/{id}/members/remove")
  @RequiresScope(Scopes.CUSTOM_GROUPS_MANAGE)
  @Operation(summary = "Remove members by phone number (phones) or by id (member_ids)")
  RemovedView removeMembers(
      Caller caller, @PathVariable UUID id, @RequestBody RemoveRequest request) {
    CustomGroupService.Removed removed =
        groups.removeMembers(caller.tenantId(), id, request.phones(), request.memberIds());
    return new RemovedView(removed.removed(), removed.memberCount());
  }

  // --- imports and exports ----------------------------------------------------------------------

  @PostMapping(
      value = "/{id}/import/csv",
      consumes = {"text/csv", "application/csv", "text/plain"})
  @RequiresScope(Scopes.CUSTOM_GROUPS_MANAGE)
  @Operation(
      summary = "Import members from CSV",
      description =
          "Header row phone,name,<custom fields...> (',' or ';'); bad rows are reported by line and the others"
              + " imported; members the group already has are skipped",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
  ImportedView importCsv(Caller caller, @PathVariable UUID id, HttpServletRequest request)
      throws IOException {
    try (InputStreamReader csv =
        new InputStreamReader(request.getInputStream(), charset(request))) {
      return ImportedView.of(files.importCsv(caller.tenantId(), id, csv));
    }
  }

  /** The charset the client declared for its CSV file; UTF-8 when it declared none. */
  private static Charset charset(HttpServletRequest request) {
    String declared = request.getCharacterEncoding();
    if (declared == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(declared);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "charset '%s' is not supported; send the file as UTF-8".formatted(declared));
    }
  }

  @PostMapping(value = "/{id}/import/json", consumes = MediaType.APPLICATION_JSON_VALUE)
  @RequiresScope(Scopes.CUSTOM_GROUPS_MANAGE)
  @Operation(
      summary = "Import members from a JSON array of {phone, name?, fields?}",
      description =
          "Bad entries are reported by line and index and the others imported; members the group already has are skipped",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(mediaType = "application/json", schema = @Schema(type = "array"))))
  ImportedView importJson(Caller caller, @PathVariable UUID id, HttpServletRequest request)
      throws IOException {
    try (InputStream body = request.getInputStream()) {
      return ImportedView.of(files.importJson(caller.tenantId(), id, body));
    }
  }

  @GetMapping(value = "/{id}/export/csv", produces = "text/csv")
  @RequiresScope(Scopes.CUSTOM_GROUPS_READ)
  @Operation(summary = "The members as CSV: phone, name and a column per custom field")
  void exportCsv(Caller caller, @PathVariable UUID id, HttpServletResponse response)
      throws IOException {
    Group group = groups.get(caller.tenantId(), id);
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment()
            .filename(group.name() + ".csv", StandardCharsets.UTF_8)
            .build()
            .toString());
    Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
    files.exportCsv(id, new BufferedWriter(out, 64 * 1024));
  }

  @GetMapping(value = "/{id}/export/json", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresScope(Scopes.CUSTOM_GROUPS_READ)
  @Operation(summary = "The members as a JSON array of {phone, name, fields}")
  void exportJson(Caller caller, @PathVariable UUID id, HttpServletResponse response)
      throws IOException {
    groups.get(caller.tenantId(), id);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    files.exportJson(id, response.getOutputStream());
  }

  // --- the directory: contacts and WhatsApp groups to build lists from -------------------------

  @GetMapping("/contacts")
  @RequiresScope(Scopes.CUSTOM_GROUPS_READ)
  @Operation(summary = "Every distinct contact (by phone number) the tenant's sessions have seen")
  Page<ContactView> contacts(
      Caller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return directory
        .people(caller.tenantId(), PageQuery.of(limit, offset))
        .map(p ->
            new ContactView(
                p.phone(),
                p.name(),
                p.lid(),
                p.sessionIds().stream().map(SessionId::value).toList(),
                p.lastInboundAt()));
  }

  @GetMapping("/wa-groups")
  @RequiresScope(Scopes.CUSTOM_GROUPS_READ)
  @Operation(
      summary = "The WhatsApp groups of the tenant's working sessions, with participant counts")
  Page<WaGroupView> waGroups(
      Caller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    PageQuery page = PageQuery.of(limit, offset);
    List<WaGroupView> all =
        directory.groups(caller.tenantId()).stream()
            .map(g ->
                new WaGroupView(
                    g.groupId().value(),
                    g.sessionId().value(),
                    g.sessionName(),
                    g.name(),
                    g.participantCount()))
            .toList();
    List<WaGroupView> window =
        all.subList(
            Math.min(page.offset(), all.size()),
            Math.min(page.offset() + page.limit(), all.size()));
    return Page.of(window, all.size(), page);
  }

  @PostMapping("/from-wa-groups")
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.CUSTOM_GROUPS_MANAGE)
  @Operation(
      summary = "Create a custom group from the participants of WhatsApp groups",
      description =
          "One member per phone number; the sessions' own numbers and participants known only by linked id (LID)"
              + " are left out")
  FromWaGroupsView fromWaGroups(Caller caller, @Valid @RequestBody FromWaGroupsRequest request) {
    CustomGroupService.FromWaGroups created =
        groups.fromWaGroups(
            caller.tenantId(),
            request.name().strip(),
            request.waGroups().stream()
                .map(g -> new CustomGroupService.WaGroupRef(g.sessionId(), g.waGroupId().strip()))
                .toList());
    Group g = created.group();
    ParticipantRoster.Roster roster = created.roster();
    return new FromWaGroupsView(
        g.id(),
        g.name(),
        g.memberCount(),
        g.createdAt(),
        g.updatedAt(),
        roster.participants(),
        created.added(),
        roster.duplicates(),
        roster.lidOnly(),
        roster.invalid());
  }
}
