-- Scheduled messages: one row per schedule, one process instance per schedule (outreach-scheduled-
-- message.bpmn), which waits on a timer until next_run_at, sends, records the occurrence in
-- outreach_scheduled_execution and loops. This table is the source of truth: the instance only
-- reads it, and is re-created from it after an engine restart (engine_epoch).
CREATE TABLE outreach_scheduled_message (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid        NOT NULL,
    name                 text        NOT NULL,
    session_id           uuid        NOT NULL,
    -- The target: one chat, or the members of a custom group (optionally filtered by custom fields,
    -- resolved at each occurrence). No foreign key to the group: deleting a group must stay
    -- possible; the occurrence then fails with the reason.
    chat_id              text,
    custom_group_id      uuid,
    member_filter        jsonb       NOT NULL DEFAULT '{}',
    schedule_type        text        NOT NULL CHECK (schedule_type IN ('one_time', 'daily', 'weekly',
                           'monthly', 'cron')),
    cron_expression      text,
    -- Wall-clock time in the schedule's time zone (no offset): the moment of a one_time schedule,
    -- the anchor of a recurring one (its time, weekday or day of month, and its first day).
    scheduled_time       timestamp,
    timezone             text        NOT NULL,
    message_type         text        NOT NULL CHECK (message_type IN ('text', 'media')),
    message_content      text,
    media_url            text,
    status               text        NOT NULL CHECK (status IN ('active', 'paused', 'cancelled',
                           'completed')),
    next_run_at          timestamptz,
    last_run_at          timestamptz,
    run_count            integer     NOT NULL DEFAULT 0,
    process_instance_key bigint,
    engine_epoch         text,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CHECK ((chat_id IS NULL) <> (custom_group_id IS NULL)),
    -- Only an active schedule has a next run.
    CHECK ((status = 'active') = (next_run_at IS NOT NULL))
);
CREATE INDEX outreach_scheduled_message_by_tenant ON outreach_scheduled_message (tenant_id, created_at DESC);
CREATE INDEX outreach_scheduled_message_live ON outreach_scheduled_message (engine_epoch)
    WHERE status IN ('active', 'paused');

-- One row per occurrence: executed (messages queued), failed (with the reason) or missed (Flowmate
-- was down when it was due and the grace period had passed).
CREATE TABLE outreach_scheduled_execution (
    id           uuid PRIMARY KEY,
    schedule_id  uuid        NOT NULL REFERENCES outreach_scheduled_message (id) ON DELETE CASCADE,
    occurrence   timestamptz NOT NULL,
    status       text        NOT NULL CHECK (status IN ('executed', 'failed', 'missed')),
    recipients   integer     NOT NULL DEFAULT 0,
    queued_count integer     NOT NULL DEFAULT 0,
    error        text,
    executed_at  timestamptz NOT NULL,
    -- Also the history's index (newest first is a backward scan).
    UNIQUE (schedule_id, occurrence)
);
