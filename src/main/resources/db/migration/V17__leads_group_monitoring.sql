-- Group monitoring (reference API §1.1 Groups, §1.4 Detection, §2.11, §2.12): the WhatsApp groups a
-- tenant watches for leads, what each produced, and the few rows detection needs to remember.

-- A monitored group: one WhatsApp group as one of the tenant's numbers (session) sees it.
CREATE TABLE leads_monitored_group (
    id                 uuid PRIMARY KEY,              -- UUIDv7: ordered by creation
    tenant_id          uuid        NOT NULL,
    session_id         uuid        NOT NULL,
    wa_group_id        text        NOT NULL,          -- <id>@g.us
    name               text,
    is_active          boolean     NOT NULL DEFAULT true,
    monitor_mode       text        NOT NULL
                         CHECK (monitor_mode IN ('all', 'keywords', 'mentions', 'first_message', 'ai_analysis')),
    monitor_keywords   text[]      NOT NULL DEFAULT '{}',
    monitor_prompt     text,
    auto_respond       boolean     NOT NULL DEFAULT false,
    response_template  text,
    auto_label_leads   boolean     NOT NULL DEFAULT false,
    lead_label_id      uuid,
    webhook_url        text,
    messages_processed bigint      NOT NULL DEFAULT 0,
    leads_detected     bigint      NOT NULL DEFAULT 0,
    last_message_at    timestamptz,
    monitoring_since   timestamptz NOT NULL,          -- first_message counts senders from here
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (tenant_id, session_id, wa_group_id)
);
CREATE INDEX leads_monitored_group_tenant ON leads_monitored_group (tenant_id, id);

-- One row per monitored-group message that detection acted on: it matched (a keyword, a mention, a
-- first message, every message in mode all) or was classified (ai_analysis). Messages that matched
-- nothing in the other modes leave no row; they are only counted in messages_processed.
CREATE TABLE leads_group_message (
    group_id         uuid        NOT NULL REFERENCES leads_monitored_group (id) ON DELETE CASCADE,
    message_id       uuid        NOT NULL,            -- messaging's message id
    tenant_id        uuid        NOT NULL,
    received_at      timestamptz NOT NULL,
    matched_keywords text[]      NOT NULL DEFAULT '{}',
    is_match         boolean     NOT NULL,            -- the group's mode triggered on it
    lead_id          uuid,
    new_lead         boolean     NOT NULL DEFAULT false,
    intent           text,                            -- ai_analysis only (§2.12)
    lead_score       smallint    CHECK (lead_score BETWEEN 1 AND 10),
    confidence       real        CHECK (confidence BETWEEN 0 AND 1),
    reason           text,
    PRIMARY KEY (group_id, message_id)
);
CREATE INDEX leads_group_message_since ON leads_group_message (group_id, received_at);

-- first_message mode: who has written in the group since monitoring began (phone digits, else LID).
CREATE TABLE leads_group_sender (
    group_id         uuid        NOT NULL REFERENCES leads_monitored_group (id) ON DELETE CASCADE,
    sender           text        NOT NULL,
    first_message_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, sender)
);

-- A detected lead who writes again in a monitored group: activity, not a new lead.
ALTER TABLE leads_lead ADD COLUMN last_activity_at timestamptz;
