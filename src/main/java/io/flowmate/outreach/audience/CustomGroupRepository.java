package io.flowmate.outreach.audience;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Custom groups (the tenant's contact lists) and their members. */
@Repository
class CustomGroupRepository {

  record Group(
      UUID id,
      TenantId tenantId,
      String name,
      long memberCount,
      Instant createdAt,
      Instant updatedAt) {}

  record Member(
      UUID id, String phone, String name, Map<String, String> fields, Instant createdAt) {}

  private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

  private static final String SELECT_GROUP =
      """
      SELECT g.*, (SELECT count(*) FROM outreach_custom_group_member m WHERE m.group_id = g.id) AS member_count
      FROM outreach_custom_group g
      """;

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  CustomGroupRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * Serialises creations of the tenant's groups until the transaction ends, so that two requests at
   * once cannot both pass the plan's limit on the number of groups.
   */
  void lockGroupsOf(TenantId tenant) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('outreach_custom_group'), hashtext(:tenant))")
        .param("tenant", tenant.value().toString())
        .query((rs, row) -> 1)
        .single();
  }

  long count(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM outreach_custom_group WHERE tenant_id = :tenant")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  /**
   * Inserts the group unless the tenant has one of that name in any case.
   *
   * @return whether it was inserted
   */
  boolean insertIfAbsent(UUID id, TenantId tenant, String name, Instant at) {
    return jdbc.sql(
                """
                INSERT INTO outreach_custom_group (id, tenant_id, name, created_at, updated_at)
                VALUES (:id, :tenant, :name, :at, :at)
                ON CONFLICT (tenant_id, lower(name)) DO NOTHING
                """)
            .param("id", id)
            .param("tenant", tenant.value())
            .param("name", name)
            .param("at", timestamp(at))
            .update()
        == 1;
  }

  Optional<Group> find(TenantId tenant, UUID id) {
    return jdbc.sql(SELECT_GROUP + " WHERE g.tenant_id = :tenant AND g.id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(CustomGroupRepository::mapGroup)
        .optional();
  }

  /**
   * Whether the tenant has the group, holding it until the transaction ends so that it cannot be
   * deleted while members are being added (renaming it stays possible).
   */
  boolean lockForMembers(TenantId tenant, UUID id) {
    return jdbc.sql(
            "SELECT 1 FROM outreach_custom_group WHERE tenant_id = :tenant AND id = :id FOR KEY SHARE")
        .param("tenant", tenant.value())
        .param("id", id)
        .query((rs, row) -> 1)
        .optional()
        .isPresent();
  }

  List<Group> list(TenantId tenant, int limit, int offset) {
    return jdbc.sql(
            SELECT_GROUP
                + " WHERE g.tenant_id = :tenant ORDER BY g.created_at, g.id LIMIT :limit OFFSET :offset")
        .param("tenant", tenant.value())
        .param("limit", limit)
        .param("offset", offset)
        .query(CustomGroupRepository::mapGroup)
        .list();
  }

  /** Whether another of the tenant's groups has this name in any case. */
  boolean nameTakenByAnother(TenantId tenant, UUID id, String name) {
    return jdbc.sql(
            "SELECT EXISTS (SELECT 1 FROM outreach_custom_group WHERE tenant_id = :tenant AND lower(name) = lower(:name)"
                + " AND id <> :id)")
        .param("tenant", tenant.value())
        .param("name", name)
        .param("id", id)
        .query(Boolean.class)
        .single();
  }

  void rename(UUID id, String name, Instant at) {
    jdbc.sql("UPDATE outreach_custom_group SET name = :name, updated_at = :at WHERE id = :id")
        .param("id", id)
        .param("name", name)
        .param("at", timestamp(at))
        .update();
  }

  /** Deletes the group and, by cascade, its members. */
  boolean delete(TenantId tenant, UUID id) {
    return jdbc.sql("DELETE FROM outreach_custom_group WHERE tenant_id = :tenant AND id = :id")
            .param("tenant", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  long memberCount(UUID group) {
    return jdbc.sql("SELECT count(*) FROM outreach_custom_group_member WHERE group_id = :group")
        .param("group", group)
        .query(Long.class)
        .single();
  }

  /** A page of members in the order they joined. */
  List<Member> members(UUID group, int limit, int offset) {
    return jdbc.sql(
            "SELECT * FROM outreach_custom_group_member WHERE group_id = :group ORDER BY id LIMIT :limit OFFSET :offset")
        .param("group", group)
        .param("limit", limit)
        .param("offset", offset)
        .query(this::mapMember)
        .list();
  }

  /** The members after {@code after} (null: from the first), in the order they joined. */
  List<Member> membersAfter(UUID group, UUID after, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM outreach_custom_group_member
            WHERE group_id = :group AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))
            ORDER BY id LIMIT :limit
            """)
        .param("group", group)
        .param("after", after)
        .param("limit", limit)
        .query(this::mapMember)
        .list();
  }

  /** The names of the custom fields any member has, sorted. */
  List<String> fieldNames(UUID group) {
    return jdbc.sql(
            """
            SELECT DISTINCT k FROM outreach_custom_group_member, jsonb_object_keys(fields) AS k
            WHERE group_id = :group ORDER BY k
            """)
        .param("group", group)
        .query(String.class)
        .list();
  }

  /**
   * Adds the members with one multi-row statement; members whose phone number the group already has
   * are left as they are.
   *
   * @return how many were added
   */
  int insertMembers(UUID group, List<NewMember> members, Instant at) {
    if (members.isEmpty()) {
      return 0;
    }
    return jdbc.sql(
            """
            INSERT INTO outreach_custom_group_member (id, group_id, phone, name, fields, created_at)
            SELECT m.id, :group, m.phone, m.name, CAST(m.fields AS jsonb), :at
            FROM unnest(CAST(:ids AS uuid[]), CAST(:phones AS text[]), CAST(:names AS text[]),
              CAST(:fields AS text[])) WITH ORDINALITY AS m(id, phone, name, fields, n)
            ORDER BY m.n
            ON CONFLICT (group_id, phone) DO NOTHING
            """)
        .param("group", group)
        .param("ids", ascendingIds(members.size()))
        .param("phones", members.stream().map(NewMember::phone).toArray(String[]::new))
        .param("names", members.stream().map(NewMember::name).toArray(String[]::new))
        .param("fields", members.stream().map(m -> write(m.fields())).toArray(String[]::new))
        .param("at", timestamp(at))
        .update();
  }

  int removeByPhones(UUID group, List<String> phones) {
    return jdbc.sql(
            "DELETE FROM outreach_custom_group_member WHERE group_id = :group AND phone = ANY(:phones)")
        .param("group", group)
        .param("phones", phones.toArray(String[]::new))
        .update();
  }

  int removeByIds(UUID group, List<UUID> ids) {
    return jdbc.sql(
            "DELETE FROM outreach_custom_group_member WHERE group_id = :group AND id = ANY(:ids)")
        .param("group", group)
        .param("ids", ids.toArray(UUID[]::new))
        .update();
  }

  /**
   * New ids in ascending order: ids made within one millisecond are random among themselves, and
   * members are paged (by campaigns, exports) in id order, which should be the order they came in.
   */
  private static UUID[] ascendingIds(int count) {
    UUID[] ids = new UUID[count];
    for (int i = 0; i < count; i++) {
      ids[i] = Ids.newId();
    }
    // Version 7 ids compare in Java (signed halves) as PostgreSQL compares them (unsigned bytes).
    Arrays.sort(ids);
    return ids;
  }

  private String write(Map<String, String> fields) {
    try {
      return json.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Group mapGroup(ResultSet rs, int row) throws SQLException {
    return new Group(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        rs.getString("name"),
        rs.getLong("member_count"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private Member mapMember(ResultSet rs, int row) throws SQLException {
    try {
      return new Member(
          uuid(rs, "id"),
          rs.getString("phone"),
          rs.getString("name"),
          json.readValue(rs.getString("fields"), FIELDS),
          instant(rs, "created_at"));
    } catch (JsonProcessingException e) {
      throw new SQLException(
          "fields of member " + rs.getString("id") + " are not an object of strings", e);
    }
  }
}
