package io.flowmate.workflow;

import io.flowmate.core.Ids;
import io.flowmate.core.db.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The user deployments captured from the embedded engine, in the order they were made. */
@Repository
class DeploymentStore {

  private final JdbcClient jdbc;

  DeploymentStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  void save(List<EngineDeployment.Resource> resources, Instant capturedAt) {
    UUID id = Ids.newId();
    jdbc.sql("INSERT INTO workflow_deployment (id, captured_at) VALUES (:id, :at)")
        .param("id", id)
        .param("at", Sql.timestamp(capturedAt))
        .update();
    for (int i = 0; i < resources.size(); i++) {
      jdbc.sql(
              "INSERT INTO workflow_deployment_resource (deployment_id, position, resource_name,"
                  + " content) VALUES (:id, :position, :name, :content)")
          .param("id", id)
          .param("position", i)
          .param("name", resources.get(i).name())
          .param("content", resources.get(i).content())
          .update();
    }
  }

  /** Every captured deployment's resources, oldest deployment first. */
  List<List<EngineDeployment.Resource>> all() {
    Map<UUID, List<EngineDeployment.Resource>> deployments = new LinkedHashMap<>();
    jdbc.sql(
            """
            SELECT d.id, r.resource_name, r.content
            FROM workflow_deployment d JOIN workflow_deployment_resource r ON r.deployment_id = d.id
            ORDER BY d.captured_at, d.id, r.position
            """)
        .query(
            rs -> {
              deployments
                  .computeIfAbsent(Sql.uuid(rs, "id"), id -> new ArrayList<>())
                  .add(
                      new EngineDeployment.Resource(
                          rs.getString("resource_name"), rs.getBytes("content")));
            });
    return List.copyOf(deployments.values());
  }
}
