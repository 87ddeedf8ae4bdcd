package io.flowmate.admin.tenant;

import static io.flowmate.core.db.Sql.nullableInt;

import io.flowmate.admin.Plan;
import io.flowmate.admin.PlanLimits;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PlanRepository {

  private final JdbcClient jdbc;

  PlanRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<PlanLimits> list() {
    return jdbc.sql("SELECT * FROM admin_plan ORDER BY messages_per_minute")
        .query(PlanRepository::map)
        .list();
  }

  Optional<PlanLimits> find(Plan plan) {
    return jdbc.sql("SELECT * FROM admin_plan WHERE id = :id")
        .param("id", plan.id())
        .query(PlanRepository::map)
        .optional();
  }

  static PlanLimits map(ResultSet rs, int row) throws SQLException {
    return new PlanLimits(
        Plan.fromId(rs.getString("id")),
        rs.getString("display_name"),
        rs.getInt("messages_per_minute"),
        rs.getInt("api_requests_per_minute"),
        nullableInt(rs, "messages_per_month"),
        nullableInt(rs, "max_sessions"),
        nullableInt(rs, "max_monitored_groups"),
        nullableInt(rs, "max_custom_groups"),
        nullableInt(rs, "max_scheduled_reports"),
        rs.getBoolean("bulk_send_enabled"),
        rs.getBoolean("scheduled_messages_enabled"),
        rs.getBoolean("ai_enabled"),
        rs.getBoolean("reviews_enabled"),
        rs.getBoolean("a2a_enabled"),
        rs.getBoolean("bulk_lead_operations_enabled"),
        rs.getBoolean("campaign_analytics_enabled"));
  }
}
