-- Messages queued by other modules' processes (campaigns, schedules, follow-ups) carry what queued
-- them, so that those processes can count, pause (hold), resume and cancel their own messages.
-- 'held' is a queued message its origin paused: the dispatcher does not see it.
ALTER TABLE messaging_message
    ADD COLUMN origin_kind text,
    ADD COLUMN origin_id   uuid,
    -- A campaign's delay range: after sending this message the number waits a random gap in
    -- [min, max] (or the governor's own gap if longer) before its next send.
    ADD COLUMN send_gap_min_ms integer,
    ADD COLUMN send_gap_max_ms integer,
    DROP CONSTRAINT messaging_message_status_check,
    ADD CONSTRAINT messaging_message_status_check CHECK (status IN ('pending', 'queued', 'held',
        'sending', 'sent', 'delivered', 'read', 'played', 'failed', 'cancelled', 'received'));

CREATE INDEX messaging_message_by_origin
    ON messaging_message (origin_id, status) WHERE origin_id IS NOT NULL;
