-- Scheduled reports: one row per report, one analytics-report.bpmn instance per report, which waits
-- on a timer until next_run_at, generates the report from the other modules' figures, stores it as
-- a run (and sends it to a WhatsApp chat or group through messaging's outbox) and loops. This table
-- is the source of truth: the instance only reads it, and is re-created from it after an engine
-- restart (engine_epoch).
CREATE TABLE analytics_report (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid        NOT NULL,
    name                 text        NOT NULL,
    template_id          text        NOT NULL CHECK (template_id IN ('daily_activity', 'lead_pipeline',
                           'unanswered_contacts', 'vip_contacts', 'group_monitoring',
                           'scheduled_messages_status', 'bulk_send_progress', 'usage_plan',
                           'session_health', 'review_digest')),
    schedule_type        text        NOT NULL CHECK (schedule_type IN ('one_time', 'daily', 'weekly',
                           'monthly', 'cron')),
    cron_expression      text,
    -- Wall-clock time in the report's time zone (no offset): the moment of a one_time report, the
    -- anchor of a recurring one (its time, weekday or day of month, and its first day).
    scheduled_time       timestamp,
    timezone             text        NOT NULL,
    delivery_method      text        NOT NULL CHECK (delivery_method IN ('dashboard', 'whatsapp')),
    -- WhatsApp delivery: which number sends it, to which chat (a contact or a group). No foreign
    -- key: the session belongs to the gateway; a run whose session is gone fails with the reason.
    delivery_session_id  uuid,
    delivery_chat_id     text,
    status               text        NOT NULL CHECK (status IN ('active', 'paused', 'cancelled',
                           'completed')),
    next_run_at          timestamptz,
    last_run_at          timestamptz,
    run_count            integer     NOT NULL DEFAULT 0,
    process_instance_key bigint,
    engine_epoch         text,
    -- POST /reports with an Idempotency-Key: the same key and body return this report again.
    idempotency_key      text,
    request_hash         bytea,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    UNIQUE (tenant_id, idempotency_key),
    CHECK ((delivery_method = 'whatsapp') = (delivery_session_id IS NOT NULL AND delivery_chat_id IS NOT NULL)),
    CHECK (delivery_method = 'whatsapp' OR (delivery_session_id IS NULL AND delivery_chat_id IS NULL)),
    -- Only an active report has a next run.
    CHECK ((status = 'active') = (next_run_at IS NOT NULL))
);
CREATE INDEX analytics_report_by_tenant ON analytics_report (tenant_id, created_at DESC);
CREATE INDEX analytics_report_live ON analytics_report (engine_epoch) WHERE status IN ('active', 'paused');

-- One row per generated report: the text as WhatsApp shows it and the same figures as JSON, kept
-- for the dashboard. A scheduled run is stored once per occurrence (a retried job finds it and
-- sends the same text); missed occurrences (Flowmate was down past the grace period) are rows
-- without content. Runs asked for through the API carry trigger 'manual'.
CREATE TABLE analytics_report_run (
    id                  uuid PRIMARY KEY,
    report_id           uuid        NOT NULL REFERENCES analytics_report (id) ON DELETE CASCADE,
    tenant_id           uuid        NOT NULL,
    trigger             text        NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    occurrence          timestamptz NOT NULL,
    status              text        NOT NULL CHECK (status IN ('generated', 'failed', 'missed')),
    template_id         text        NOT NULL,
    period_start        timestamptz,
    period_end          timestamptz,
    content_text        text,
    content_json        jsonb,
    delivery_method     text        NOT NULL CHECK (delivery_method IN ('dashboard', 'whatsapp')),
    delivery_session_id uuid,
    delivery_chat_id    text,
    error               text,
    idempotency_key     text,
    generated_at        timestamptz NOT NULL,
    UNIQUE (report_id, idempotency_key)
);
-- A scheduled occurrence is generated once, however often its job runs.
CREATE UNIQUE INDEX analytics_report_run_occurrence ON analytics_report_run (report_id, occurrence)
    WHERE trigger = 'schedule';
-- The history, newest first.
CREATE INDEX analytics_report_run_history ON analytics_report_run (report_id, occurrence DESC, id DESC);
