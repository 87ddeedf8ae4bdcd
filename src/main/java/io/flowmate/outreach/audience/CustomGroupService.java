package io.flowmate.outreach.audience;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.messaging.Directory;
import io.flowmate.outreach.audience.CustomGroupRepository.Group;
import io.flowmate.outreach.audience.CustomGroupRepository.Member;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Custom groups: the tenant's contact lists that campaigns and schedules send to. The plan limits
 * how many a tenant has ({@link PlanLimits#maxCustomGroups()}); names are unique per tenant in any
 * case; members are unique per group by phone number, and adding one the group has is no error.
 */
@Service
class CustomGroupService {

  /** The reference API's limit for one add request; larger lists go through the imports. */
  static final int MAX_CONTACTS_PER_REQUEST = 1_000;

  static final int MAX_WA_GROUPS_PER_REQUEST = 50;

  /** A member as a client sends it, before it is checked. */
  record MemberInput(String phone, String name, Map<String, String> fields) {}

  /** A WhatsApp group to take participants from. */
  record WaGroupRef(UUID sessionId, String waGroupId) {}

  record Created(Group group, MemberBatches.Outcome members) {}

  record Detail(Group group, List<Member> members, PageQuery page) {}

  record Added(MemberBatches.Outcome outcome, long memberCount) {}

  record Removed(int removed, long memberCount) {}

  record FromWaGroups(Group group, ParticipantRoster.Roster roster, long added) {}

  private final CustomGroupRepository groups;
  private final Tenants tenants;
  private final Directory directory;
  private final TransactionTemplate transaction;
  private final Clock clock;

  CustomGroupService(
      CustomGroupRepository groups,
      Tenants tenants,
      Directory directory,
      TransactionTemplate transaction,
      Clock clock) {
    this.groups = groups;
    this.tenants = tenants;
    this.directory = directory;
    this.transaction = transaction;
    this.clock = clock;
  }

  Group get(TenantId tenant, UUID id) {
    return groups.find(tenant, id).orElseThrow(() -> notFound(id));
  }

  Page<Group> list(TenantId tenant, PageQuery page) {
    return Page.of(groups.list(tenant, page.limit(), page.offset()), groups.count(tenant), page);
  }

  Detail detail(TenantId tenant, UUID id, PageQuery page) {
    Group group = get(tenant, id);
    return new Detail(group, groups.members(id, page.limit(), page.offset()), page);
  }

  @Transactional
  Created create(TenantId tenant, String name, List<MemberInput> members) {
    checkCount("members", members);
    UUID id = insert(tenant, name);
    MemberBatches.Outcome outcome = add(id, members);
    return new Created(get(tenant, id), outcome);
  }

  @Transactional
  Group rename(TenantId tenant, UUID id, String name) {
    get(tenant, id);
    if (groups.nameTakenByAnother(tenant, id, name)) {
      throw nameTaken(name);
    }
    try {
      groups.rename(id, name, clock.instant());
    } catch (DuplicateKeyException e) {
      throw nameTaken(name); // taken by a request that committed after our check
    }
    return get(tenant, id);
  }

  @Transactional
  void delete(TenantId tenant, UUID id) {
    boolean deleted;
    try {
      deleted = groups.delete(tenant, id);
    } catch (DataIntegrityViolationException e) {
      throw ApiException.conflict(
          "Custom group '%s' is the audience of a campaign or schedule; cancel or delete that first"
              .formatted(id));
    }
    if (!deleted) {
      throw notFound(id);
    }
  }

  @Transactional
  Added addMembers(TenantId tenant, UUID id, List<MemberInput> contacts) {
    if (contacts == null) {
      throw ApiException.invalid("contacts is required: a list of {phone, name?, fields?}");
    }
    checkCount("contacts", contacts);
    lockForMembers(tenant, id);
    MemberBatches.Outcome outcome = add(id, contacts);
    return new Added(outcome, groups.memberCount(id));
  }

  /** Removes members by phone number, by member id, or both. */
  @Transactional
  Removed removeMembers(TenantId tenant, UUID id, List<String> phones, List<UUID> memberIds) {
    List<String> byPhone = phones == null ? List.of() : phones;
    List<UUID> byId =
        memberIds == null ? List.of() : memberIds.stream().filter(Objects::nonNull).toList();
    if (byPhone.isEmpty() && byId.isEmpty()) {
      throw ApiException.invalid(
          "Give the members to remove as phones (phone numbers) or member_ids");
    }
    if (byPhone.size() + byId.size() > MAX_CONTACTS_PER_REQUEST) {
      throw ApiException.invalid(
          "%d members to remove; at most %d per request"
              .formatted(byPhone.size() + byId.size(), MAX_CONTACTS_PER_REQUEST));
    }
    List<String> normalised = new ArrayList<>();
    for (int i = 0; i < byPhone.size(); i++) {
      PhoneNumbers.Normalised phone = PhoneNumbers.normalise(byPhone.get(i));
      if (!phone.valid()) {
        throw ApiException.invalid("phones[%d]: %s".formatted(i, phone.problem()));
      }
      normalised.add(phone.phone());
    }
    lockForMembers(tenant, id);
    int removed = 0;
    if (!normalised.isEmpty()) {
      removed += groups.removeByPhones(id, normalised);
    }
    if (!byId.isEmpty()) {
      removed += groups.removeByIds(id, byId);
    }
    return new Removed(removed, groups.memberCount(id));
  }

  /**
   * A new group of the participants of WhatsApp groups, one member per phone number. Participants
   * are read from WhatsApp first, outside the transaction that creates the group.
   */
  FromWaGroups fromWaGroups(TenantId tenant, String name, List<WaGroupRef> waGroups) {
    record Source(UUID sessionId, ChatId group) {}
    LinkedHashSet<Source> sources = new LinkedHashSet<>();
    for (int i = 0; i < waGroups.size(); i++) {
      String raw = waGroups.get(i).waGroupId();
      ChatId group = ChatId.tryParse(raw).filter(c -> c.kind() == ChatId.Kind.GROUP).orElse(null);
      if (group == null) {
        throw ApiException.invalid(
            "wa_groups[%d].wa_group_id '%s' is not a WhatsApp group id such as 120363012345678901@g.us"
                .formatted(i, raw));
      }
      sources.add(new Source(waGroups.get(i).sessionId(), group));
    }
    if (sources.size() > MAX_WA_GROUPS_PER_REQUEST) {
      throw ApiException.invalid(
          "%d WhatsApp groups; at most %d per request"
              .formatted(sources.size(), MAX_WA_GROUPS_PER_REQUEST));
    }
    // Fail fast, before asking WhatsApp; checked again under the lock when the group is created.
    checkPlanAllowsOneMore(tenant);
    List<List<Directory.Participant>> participants = new ArrayList<>();
    for (Source source : sources) {
      participants.add(
          directory.participants(tenant, SessionId.of(source.sessionId()), source.group()));
    }
    ParticipantRoster.Roster roster = ParticipantRoster.of(participants);
    return transaction.execute(status -> {
      UUID id = insert(tenant, name);
      MemberBatches batches = new MemberBatches(groups, id, clock.instant());
      roster
          .members()
          .forEach(member -> batches.accept(new NewMember.Checked(member, null), null, null));
      long added = batches.finish().added();
      return new FromWaGroups(get(tenant, id), roster, added);
    });
  }

  /** Locks the tenant's groups, checks the plan and the name, and inserts the empty group. */
  private UUID insert(TenantId tenant, String name) {
    groups.lockGroupsOf(tenant);
    checkPlanAllowsOneMore(tenant);
    UUID id = Ids.newId();
    if (!groups.insertIfAbsent(id, tenant, name, clock.instant())) {
      throw nameTaken(name);
    }
    return id;
  }

  private void checkPlanAllowsOneMore(TenantId tenant) {
    PlanLimits limits = tenants.limits(tenant);
    long existing = groups.count(tenant);
    if (!PlanLimits.allowsOneMore(limits.maxCustomGroups(), existing)) {
      throw ApiException.forbidden(
          "The %s plan allows %d custom group(s) and this tenant has %d; delete one or upgrade"
              .formatted(limits.displayName(), limits.maxCustomGroups(), existing));
    }
  }

  private MemberBatches.Outcome add(UUID id, List<MemberInput> inputs) {
    MemberBatches batches = new MemberBatches(groups, id, clock.instant());
    if (inputs != null) {
      for (int i = 0; i < inputs.size(); i++) {
        MemberInput input = inputs.get(i);
        if (input == null) {
          batches.failed(null, i, "the entry is empty: give {phone, name?, fields?}");
        } else {
          batches.accept(NewMember.check(input.phone(), input.name(), input.fields()), null, i);
        }
      }
    }
    return batches.finish();
  }

  private void lockForMembers(TenantId tenant, UUID id) {
    if (!groups.lockForMembers(tenant, id)) {
      throw notFound(id);
    }
  }

  private static void checkCount(String field, List<?> entries) {
    if (entries != null && entries.size() > MAX_CONTACTS_PER_REQUEST) {
      throw ApiException.invalid(
          "%s has %d entries; at most %d per request: send them in several requests, or use"
                  .formatted(field, entries.size(), MAX_CONTACTS_PER_REQUEST)
              + " POST /api/v2/custom-groups/{id}/import/csv or /import/json for large lists");
    }
  }

  private static ApiException notFound(UUID id) {
    return ApiException.notFound("Custom group", id);
  }

  private static ApiException nameTaken(String name) {
    return ApiException.conflict("A custom group named '%s' already exists".formatted(name));
  }
}
