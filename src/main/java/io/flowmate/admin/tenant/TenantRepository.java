package io.flowmate.admin.tenant;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.strings;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.admin.Plan;
import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.TenantSettings;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.PageQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class TenantRepository {

  private static final String COLUMNS =
      """
      id, name, plan_id, operator, require_approval, allowed_numbers, reciprocity_check,
      ai_consent_enabled, chat_history_access_enabled, timezone, quiet_hours_start,
      quiet_hours_end, created_at, updated_at
      """;

  private final JdbcClient jdbc;

  TenantRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Tenant tenant) {
    withSettings(
            jdbc.sql(
                "INSERT INTO admin_tenant ("
                    + COLUMNS
                    + ") VALUES (:id, :name, :plan, :operator, :requireApproval, :allowedNumbers,"
                    + " :reciprocity, :aiConsent, :chatHistory, :timezone, :quietStart, :quietEnd, :createdAt,"
                    + " :updatedAt)"),
            tenant.settings())
        .param("id", tenant.id().value())
        .param("name", tenant.name())
        .param("plan", tenant.plan().id())
        .param("operator", tenant.operator())
        .param("createdAt", timestamp(tenant.createdAt()))
        .param("updatedAt", timestamp(tenant.updatedAt()))
        .update();
  }

  private static JdbcClient.StatementSpec withSettings(
      JdbcClient.StatementSpec statement, TenantSettings s) {
    return statement
        .param("requireApproval", s.requireApproval())
        .param("allowedNumbers", s.allowedNumbers().toArray(String[]::new))
        .param("reciprocity", s.reciprocityCheck())
        .param("aiConsent", s.aiConsentEnabled())
        .param("chatHistory", s.chatHistoryAccessEnabled())
        .param("timezone", s.timezone())
        .param("quietStart", s.quietHoursStart())
        .param("quietEnd", s.quietHoursEnd());
  }

  public Optional<Tenant> find(TenantId id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM admin_tenant WHERE id = :id")
        .param("id", id.value())
        .query(TenantRepository::map)
        .optional();
  }

  /** The operator tenant (created on the first start), oldest first should there be several. */
  Optional<Tenant> findOperator() {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM admin_tenant WHERE operator ORDER BY created_at, id LIMIT 1")
        .query(TenantRepository::map)
        .optional();
  }

  List<Tenant> list(PageQuery page) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM admin_tenant ORDER BY created_at, id LIMIT :limit OFFSET :offset")
        .param("limit", page.limit())
        .param("offset", page.offset())
        .query(TenantRepository::map)
        .list();
  }

  long count() {
    return jdbc.sql("SELECT count(*) FROM admin_tenant").query(Long.class).single();
  }

  void updateSettings(TenantId id, TenantSettings settings, Instant now) {
    withSettings(
            jdbc.sql(
                """
                UPDATE admin_tenant SET require_approval = :requireApproval,
                  allowed_numbers = :allowedNumbers, reciprocity_check = :reciprocity,
                  ai_consent_enabled = :aiConsent, chat_history_access_enabled = :chatHistory,
                  timezone = :timezone, quiet_hours_start = :quietStart,
                  quiet_hours_end = :quietEnd, updated_at = :now
                WHERE id = :id
                """),
            settings)
        .param("id", id.value())
        .param("now", timestamp(now))
        .update();
  }

  void update(TenantId id, String name, Plan plan, Instant now) {
    jdbc.sql(
            "UPDATE admin_tenant SET name = :name, plan_id = :plan, updated_at = :now WHERE id = :id")
        .param("id", id.value())
        .param("name", name)
        .param("plan", plan.id())
        .param("now", timestamp(now))
        .update();
  }

  public Optional<PlanLimits> limits(TenantId id) {
    return jdbc.sql(
            "SELECT p.* FROM admin_plan p JOIN admin_tenant t ON t.plan_id = p.id WHERE t.id = :id")
        .param("id", id.value())
        .query(PlanRepository::map)
        .optional();
  }

  private static Tenant map(ResultSet rs, int row) throws SQLException {
    return new Tenant(
        TenantId.of(uuid(rs, "id")),
        rs.getString("name"),
        Plan.fromId(rs.getString("plan_id")),
        rs.getBoolean("operator"),
        new TenantSettings(
            strings(rs, "allowed_numbers"),
            rs.getBoolean("require_approval"),
            rs.getBoolean("reciprocity_check"),
            rs.getBoolean("ai_consent_enabled"),
            rs.getBoolean("chat_history_access_enabled"),
            rs.getString("timezone"),
            rs.getObject("quiet_hours_start", LocalTime.class),
            rs.getObject("quiet_hours_end", LocalTime.class)),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
