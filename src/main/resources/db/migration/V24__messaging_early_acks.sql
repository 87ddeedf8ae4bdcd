-- Acks that arrived before their message was recorded as sent (a fast transport acks before the
-- dispatcher commits). They are kept here, not in memory, so that a webhook is answered only once
-- its ack is durable; applied as soon as the message is recorded, forgotten after two minutes
-- (acks of messages Flowmate never recorded).
CREATE TABLE messaging_early_ack (
    session_id     uuid        NOT NULL,
    wa_message_id  text        NOT NULL,
    status         text        NOT NULL,
    failure_reason text,
    acked_at       timestamptz NOT NULL,
    parked_at      timestamptz NOT NULL
);

CREATE INDEX messaging_early_ack_by_message ON messaging_early_ack (session_id, wa_message_id);
CREATE INDEX messaging_early_ack_by_age ON messaging_early_ack (parked_at);
