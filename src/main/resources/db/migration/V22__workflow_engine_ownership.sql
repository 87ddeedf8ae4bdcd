-- Issue #11 (engine): who owns what the engine runs, and which instance decides an approval.

-- The tenant that deployed a captured or API deployment; NULL: deployed straight to the embedded
-- engine's gRPC port by the operator (Camunda Modeler), owned by flowmate.engine.deployment-owner.
ALTER TABLE workflow_deployment ADD COLUMN tenant_id uuid;

-- The engine keys processes, decisions, decision graphs and forms by id across all tenants: an id
-- belongs to the first tenant that deployed it, and nobody else may deploy (and so replace) it.
CREATE TABLE workflow_definition_owner (
    definition_id text        PRIMARY KEY,
    tenant_id     uuid        NOT NULL,
    claimed_at    timestamptz NOT NULL
);

CREATE INDEX workflow_definition_owner_by_tenant ON workflow_definition_owner (tenant_id);

-- The instance whose user task the approval tracks: only that instance may record a decision
-- taken in Tasklist (an instance started with forged variables may not).
ALTER TABLE workflow_approval ADD COLUMN process_instance_key bigint;
