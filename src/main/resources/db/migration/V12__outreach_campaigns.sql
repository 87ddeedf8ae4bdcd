-- Bulk-send campaigns: one row per campaign, one process instance per campaign (never one per
-- recipient). Recipients are planned from the custom group into messaging's outbox in pages, in
-- member id order; plan_cursor is the last member planned, so planning resumes after a crash, and
-- each message's idempotency key (campaign:<id>:<member id>) keeps a page planned twice from
-- sending twice.
CREATE TABLE outreach_campaign (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid        NOT NULL,
    session_id           uuid        NOT NULL,
    custom_group_id      uuid        NOT NULL,
    name                 text,
    message_type         text        NOT NULL CHECK (message_type IN ('text', 'media')),
    message_content      text,
    media_url            text,
    variants             jsonb       NOT NULL DEFAULT '[]',
    member_filter        jsonb       NOT NULL DEFAULT '{}',
    delay_min_seconds    integer     NOT NULL,
    delay_max_seconds    integer     NOT NULL,
    status               text        NOT NULL CHECK (status IN ('pending', 'running', 'paused',
                           'completed', 'cancelled', 'failed')),
    status_reason        text,
    total_recipients     integer     NOT NULL DEFAULT 0,
    planned_count        integer     NOT NULL DEFAULT 0,
    plan_cursor          uuid,
    all_planned          boolean     NOT NULL DEFAULT false,
    approval_id          uuid,
    idempotency_key      text,
    request_hash         bytea,
    process_instance_key bigint,
    engine_epoch         text,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    started_at           timestamptz,
    finished_at          timestamptz,
    UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX outreach_campaign_by_tenant ON outreach_campaign (tenant_id, created_at DESC);
CREATE INDEX outreach_campaign_live ON outreach_campaign (status)
    WHERE status IN ('pending', 'running', 'paused');
