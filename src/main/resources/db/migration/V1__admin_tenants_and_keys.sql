-- Plans and their limits (reference API §3). A self-hosted operator may change these rows; Flowmate
-- reads them on every check. NULL means unlimited.
CREATE TABLE admin_plan (
    id                         text PRIMARY KEY,
    display_name               text    NOT NULL,
    messages_per_minute        integer NOT NULL,   -- send rate per WhatsApp session (governor)
    api_requests_per_minute    integer NOT NULL,   -- REST calls per tenant
    messages_per_month         integer,
    max_sessions               integer,
    max_monitored_groups       integer,
    max_custom_groups          integer,
    max_scheduled_reports      integer,
    bulk_send_enabled          boolean NOT NULL,
    scheduled_messages_enabled boolean NOT NULL,
    ai_enabled                 boolean NOT NULL,
    reviews_enabled            boolean NOT NULL,
    a2a_enabled                boolean NOT NULL,
    bulk_lead_operations_enabled boolean NOT NULL,
    campaign_analytics_enabled boolean NOT NULL
);

INSERT INTO admin_plan VALUES
    ('free',     'Free',     10,  60,   50,  1,   2,   2,    2, false, false, false, false, false, false, false),
    ('starter',  'Starter',  20, 120,  500,  1,   5,   5,    5, true,  true,  false, false, false, false, false),
    ('pro',      'Pro',      40, 300, 1500,  5,  20,  20,   10, true,  true,  true,  true,  true,  true,  true),
    ('business', 'Business', 60, 600, 3000, 15, 100, 100, NULL, true,  true,  true,  true,  true,  true,  true);

CREATE TABLE admin_tenant (
    id                          uuid PRIMARY KEY,
    name                        text        NOT NULL,
    plan_id                     text        NOT NULL REFERENCES admin_plan (id),
    operator                    boolean     NOT NULL DEFAULT false,
    require_approval            boolean     NOT NULL DEFAULT false,
    allowed_numbers             text[]      NOT NULL DEFAULT '{}',
    reciprocity_check           boolean     NOT NULL DEFAULT true,
    ai_consent_enabled          boolean     NOT NULL DEFAULT false,
    chat_history_access_enabled boolean     NOT NULL DEFAULT false,
    timezone                    text        NOT NULL DEFAULT 'UTC',
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);

-- The operator tenant is created on first start; only its keys may manage other tenants.
CREATE UNIQUE INDEX admin_tenant_one_operator ON admin_tenant (operator) WHERE operator;

CREATE TABLE admin_api_key (
    id           uuid PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES admin_tenant (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    key_prefix   text        NOT NULL,
    key_hash     bytea       NOT NULL UNIQUE,  -- SHA-256 of the raw key; the raw key is never stored
    scopes       text[]      NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    created_at   timestamptz NOT NULL,
    rotated_at   timestamptz
);

CREATE INDEX admin_api_key_by_tenant ON admin_api_key (tenant_id, created_at);
