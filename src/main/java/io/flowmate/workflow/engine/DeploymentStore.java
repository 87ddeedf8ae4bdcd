package io.flowmate.workflow.engine;

import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import io.flowmate.core.db.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * The user deployments kept for a fresh embedded engine, in the order they were made, and which
 * tenant owns each process, decision and form id.
 */
@Repository
class DeploymentStore {

  private final JdbcClient jdbc;

  DeploymentStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A kept deployment; {@code owner} is empty for one made straight to the engine's port. */
  record StoredDeployment(Optional<TenantId> owner, List<EngineDeployment.Resource> resources) {}

  @Transactional
  void save(List<EngineDeployment.Resource> resources, TenantId owner, Instant capturedAt) {
    UUID id = Ids.newId();
    jdbc.sql(
            "INSERT INTO workflow_deployment (id, captured_at, tenant_id) VALUES (:id, :at, :tenant)")
        .param("id", id)
        .param("at", Sql.timestamp(capturedAt))
        .param("tenant", owner == null ? null : owner.value())
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

  /** Every kept deployment, oldest first. */
  List<StoredDeployment> all() {
    Map<UUID, List<EngineDeployment.Resource>> deployments = new LinkedHashMap<>();
    Map<UUID, TenantId> owners = new LinkedHashMap<>();
    jdbc.sql(
            """
            SELECT d.id, d.tenant_id, r.resource_name, r.content
            FROM workflow_deployment d JOIN workflow_deployment_resource r ON r.deployment_id = d.id
            ORDER BY d.captured_at, d.id, r.position
            """)
        .query(rs -> {
          UUID id = Sql.uuid(rs, "id");
          UUID tenant = Sql.uuid(rs, "tenant_id");
          if (tenant != null) {
            owners.put(id, TenantId.of(tenant));
          }
          deployments
              .computeIfAbsent(id, key -> new ArrayList<>())
              .add(
                  new EngineDeployment.Resource(
                      rs.getString("resource_name"), rs.getBytes("content")));
        });
    List<StoredDeployment> all = new ArrayList<>();
    deployments.forEach((id, resources) ->
        all.add(new StoredDeployment(Optional.ofNullable(owners.get(id)), List.copyOf(resources))));
    return all;
  }

  /**
   * Claims the ids for the tenant (an id already its own stays so); returns the ids another tenant
   * owns, none of which was claimed.
   */
  @Transactional
  Set<String> claim(TenantId tenant, Collection<String> ids, Instant now) {
    Set<String> taken = new HashSet<>();
    for (String id : ids) {
      jdbc.sql(
              "INSERT INTO workflow_definition_owner (definition_id, tenant_id, claimed_at)"
                  + " VALUES (:id, :tenant, :now) ON CONFLICT (definition_id) DO NOTHING")
          .param("id", id)
          .param("tenant", tenant.value())
          .param("now", Sql.timestamp(now))
          .update();
      if (!owner(id).map(tenant::equals).orElse(false)) {
        taken.add(id);
      }
    }
    if (!taken.isEmpty()) {
      // All or nothing: ids claimed just now for a refused deployment are released again.
      TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
    }
    return taken;
  }

  Optional<TenantId> owner(String definitionId) {
    return jdbc.sql("SELECT tenant_id FROM workflow_definition_owner WHERE definition_id = :id")
        .param("id", definitionId)
        .query((rs, row) -> TenantId.of(Sql.uuid(rs, "tenant_id")))
        .optional();
  }

  /** Every id with an owner: ids of other tenants' processes are none of the caller's business. */
  Map<String, TenantId> owners() {
    Map<String, TenantId> owners = new LinkedHashMap<>();
    jdbc.sql("SELECT definition_id, tenant_id FROM workflow_definition_owner")
        .query(rs -> {
          owners.put(rs.getString("definition_id"), TenantId.of(Sql.uuid(rs, "tenant_id")));
        });
    return owners;
  }
}
