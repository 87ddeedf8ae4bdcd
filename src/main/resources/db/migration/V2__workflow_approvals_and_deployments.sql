-- Approvals: the one human-task pattern of every BPMN (require_approval and campaign gates).
-- PostgreSQL holds the decision; the engine's user task only mirrors it.
CREATE TABLE workflow_approval (
    id            uuid PRIMARY KEY,
    tenant_id     uuid        NOT NULL,
    kind          text        NOT NULL,              -- what is approved: message, campaign, ...
    subject_id    uuid        NOT NULL,              -- the message, campaign, ... awaiting approval
    summary       jsonb       NOT NULL,              -- what the approver sees
    status        text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
    requested_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    decided_at    timestamptz,
    decided_by    text,                              -- API key id, 'tasklist' or 'timer'
    edited_text   text,
    reason        text,
    user_task_key bigint,                            -- the engine's task, valid in engine_epoch only
    engine_epoch  text,
    UNIQUE (tenant_id, kind, subject_id)
);

CREATE INDEX workflow_approval_by_tenant_status ON workflow_approval (tenant_id, status, requested_at);

-- Models deployed straight to the embedded engine (Camunda Modeler, zbctl, any client) are kept
-- here and deployed again when a fresh embedded engine starts, so they survive restarts.
CREATE TABLE workflow_deployment (
    id          uuid PRIMARY KEY,
    captured_at timestamptz NOT NULL
);

CREATE TABLE workflow_deployment_resource (
    deployment_id uuid    NOT NULL REFERENCES workflow_deployment (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    resource_name text    NOT NULL,
    content       bytea   NOT NULL,
    PRIMARY KEY (deployment_id, position)
);
