-- The send lanes claim a number's queued messages in id order; the sweep finds the numbers that
-- have any. Both read only queued rows of one number at a time.
CREATE INDEX messaging_message_queued_by_session
    ON messaging_message (session_id, id) WHERE status = 'queued';
