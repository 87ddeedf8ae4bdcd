-- Lead scoring (bpmn/leads-lead-scoring.bpmn), automatic pipeline moves and the lead timeline.

-- last_activity_at: the latest thing the lead did or we did with it (detected, wrote, was written to).
-- A lead whose scored_activity_at differs from it needs (re)scoring; the scoring instance that does
-- it is tied to the row by process_instance_key/engine_epoch and unties it when done.
ALTER TABLE leads_lead
    ADD COLUMN score_reason          text,
    ADD COLUMN scored_at             timestamptz,
    ADD COLUMN scored_activity_at    timestamptz,
    ADD COLUMN suggested_status      text CHECK (suggested_status IN ('new', 'contacted', 'qualified', 'converted', 'lost')),
    ADD COLUMN last_inbound_at       timestamptz,
    ADD COLUMN last_outbound_at      timestamptz,
    ADD COLUMN process_instance_key  bigint,
    ADD COLUMN engine_epoch          text;
-- (last_activity_at itself came with group monitoring, V17, for leads writing again in a group.)
UPDATE leads_lead SET last_activity_at = COALESCE(last_activity_at, lead_detected_at), scored_activity_at = CASE WHEN lead_score IS NULL THEN NULL ELSE lead_detected_at END;
ALTER TABLE leads_lead ALTER COLUMN last_activity_at SET NOT NULL, ALTER COLUMN last_activity_at SET DEFAULT now();

-- The scoring starter looks for these: few at any time, so a partial index keeps it cheap.
CREATE INDEX leads_lead_scoring_due ON leads_lead (id)
    WHERE scored_activity_at IS DISTINCT FROM last_activity_at;
-- Going-cold scans and sorting by activity.
CREATE INDEX leads_lead_tenant_activity ON leads_lead (tenant_id, last_activity_at);

-- What happened to a lead, for its timeline: status changes (by whom), scores, suggestions.
CREATE TABLE leads_lead_event (
    id          uuid PRIMARY KEY,                 -- UUIDv7: ordered by time
    tenant_id   uuid        NOT NULL,
    lead_id     uuid        NOT NULL REFERENCES leads_lead (id) ON DELETE CASCADE,
    kind        text        NOT NULL CHECK (kind IN ('status_changed', 'scored', 'status_suggested')),
    actor       text        NOT NULL CHECK (actor IN ('user', 'bulk', 'automatic')),
    from_status text,
    to_status   text,
    score       integer,
    detail      text,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX leads_lead_event_by_lead ON leads_lead_event (lead_id, id DESC);

-- How far the activity sweep has followed messaging's changed direct chats (Conversations.ChatCursor).
CREATE TABLE leads_activity_cursor (
    stream     text PRIMARY KEY CHECK (stream = 'chats'),
    at         timestamptz NOT NULL,
    session_id uuid        NOT NULL,
    chat_id    text        NOT NULL
);
