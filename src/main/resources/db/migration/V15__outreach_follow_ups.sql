-- Follow-ups: "follow up contacts who did not reply in 3 days". A rule watches one number's sent
-- messages to the members of a custom group (optionally filtered by custom fields); each message
-- to such a contact starts one follow-up for (rule, chat) unless one is already waiting. The
-- follow-up's process (bpmn/outreach-follow-up.bpmn) waits for a reply or the wait, sends up to
-- max_rounds follow-up messages, and stops when the contact replies.
CREATE TABLE outreach_follow_up_rule (
    id               uuid PRIMARY KEY,
    tenant_id        uuid        NOT NULL,
    session_id       uuid        NOT NULL,
    name             text        NOT NULL,
    custom_group_id  uuid        NOT NULL,
    audience_filter  jsonb       NOT NULL DEFAULT '{}',   -- custom-field values members must have
    wait_seconds     bigint      NOT NULL CHECK (wait_seconds >= 3600),
    message_content  text        NOT NULL,
    max_rounds       integer     NOT NULL CHECK (max_rounds BETWEEN 1 AND 5),
    active           boolean     NOT NULL DEFAULT true,
    -- Sent messages up to here have been examined for triggers (the sweep's watermark).
    scanned_until    timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    deactivated_at   timestamptz
);
CREATE INDEX outreach_follow_up_rule_by_tenant ON outreach_follow_up_rule (tenant_id, created_at);
CREATE INDEX outreach_follow_up_rule_active ON outreach_follow_up_rule (session_id) WHERE active;

-- One follow-up of one contact: waiting (for a reply or the next round) → replied, completed (all
-- rounds sent) or cancelled. due_at is when the next round goes: after an engine restart the new
-- process instance waits only what is left of it.
CREATE TABLE outreach_follow_up (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid        NOT NULL,
    rule_id              uuid        NOT NULL REFERENCES outreach_follow_up_rule (id),
    session_id           uuid        NOT NULL,
    chat_id              text        NOT NULL,
    trigger_message_id   uuid        NOT NULL,
    waiting_since        timestamptz NOT NULL,   -- the trigger was sent: a reply after this stops it
    round                integer     NOT NULL DEFAULT 0 CHECK (round >= 0),   -- follow-ups sent
    max_rounds           integer     NOT NULL,
    due_at               timestamptz,            -- while waiting: when the next round goes
    status               text        NOT NULL CHECK (status IN ('waiting', 'replied', 'completed', 'cancelled')),
    status_reason        text,
    process_instance_key bigint,
    engine_epoch         text,                   -- the engine state process_instance_key lives in
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    ended_at             timestamptz
);
-- At most one waiting follow-up per rule and contact; a trigger message starts at most one.
CREATE UNIQUE INDEX outreach_follow_up_one_waiting
    ON outreach_follow_up (rule_id, chat_id) WHERE status = 'waiting';
CREATE UNIQUE INDEX outreach_follow_up_by_trigger ON outreach_follow_up (rule_id, trigger_message_id);
CREATE INDEX outreach_follow_up_by_rule ON outreach_follow_up (rule_id, status, id);
-- Replies are matched by number and chat.
CREATE INDEX outreach_follow_up_waiting_by_chat
    ON outreach_follow_up (session_id, chat_id) WHERE status = 'waiting';
-- After an engine restart: waiting follow-ups whose instance belongs to an older engine.
CREATE INDEX outreach_follow_up_waiting_by_epoch
    ON outreach_follow_up (engine_epoch) WHERE status = 'waiting';
