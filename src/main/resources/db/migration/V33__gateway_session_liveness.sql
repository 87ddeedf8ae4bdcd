-- The liveness watchdog: a session that stays 'working' while WhatsApp sends nothing (no acks, no
-- messages) is restarted through the transport, and reported when restarts do not help.
ALTER TABLE gateway_session
    -- The last event WhatsApp sent for the session (acks, messages, ...; not status changes),
    -- written by each instance every few seconds from what it received.
    ADD COLUMN last_event_at      timestamptz,
    -- The last probe of the transport, claimed by one instance per probe interval.
    ADD COLUMN probed_at          timestamptz,
    ADD COLUMN probe_failures     integer     NOT NULL DEFAULT 0,
    -- Set by the one instance that restarts the session (a conditional UPDATE): no other instance
    -- restarts or judges it before then.
    ADD COLUMN restarting_until   timestamptz,
    ADD COLUMN last_restart_at    timestamptz,
    -- Restarts since the session last showed life; reported unhealthy after the configured number.
    ADD COLUMN restarts_in_a_row  integer     NOT NULL DEFAULT 0,
    ADD COLUMN unhealthy_since    timestamptz;

-- Messages that went out before the watchdog existed and never had an ack are no evidence of a
-- silent session now.
UPDATE gateway_session SET last_event_at = now();

-- Why each restart happened and what came of it.
CREATE TABLE gateway_session_restart (
    id           uuid PRIMARY KEY,
    session_id   uuid        NOT NULL REFERENCES gateway_session (id) ON DELETE CASCADE,
    tenant_id    uuid        NOT NULL,
    restarted_at timestamptz NOT NULL,
    cause        text        NOT NULL CHECK (cause IN ('silent', 'probe_failed', 'not_working')),
    reason       text        NOT NULL,
    -- awaiting_activity: restarted, nothing heard since; recovered: WhatsApp talked again;
    -- no_effect: the problem was seen again afterwards; failed: the transport refused the restart.
    outcome      text        NOT NULL CHECK (outcome IN
                   ('awaiting_activity', 'recovered', 'no_effect', 'failed')),
    failure      text,
    settled_at   timestamptz
);

CREATE INDEX gateway_session_restart_by_session ON gateway_session_restart (session_id, restarted_at DESC);
