-- Every message, outgoing and incoming. An outgoing row is the outbox entry: it exists (with its
-- idempotency key) before anything is handed to WhatsApp, and moves through
-- pending (awaiting approval) → queued → sending (claimed, with a lease) → sent → delivered → read
-- → played, or ends failed / cancelled with a reason.
CREATE TABLE messaging_message (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid        NOT NULL,
    session_id           uuid        NOT NULL,
    chat_id              text        NOT NULL,
    direction            text        NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    message_type         text        NOT NULL DEFAULT 'text',
    body                 text,
    sender_phone         text,                   -- inbound
    sender_name          text,                   -- inbound
    status               text        NOT NULL CHECK (status IN ('pending', 'queued', 'sending',
                           'sent', 'delivered', 'read', 'played', 'failed', 'cancelled', 'received')),
    failure_reason       text,
    idempotency_key      text,                   -- outbound: the client's Idempotency-Key or ours
    request_hash         bytea,                  -- outbound: tells a retry from a reused key
    wa_message_id        text,                   -- WhatsApp's id, once accepted / as received
    approval_id          uuid,
    process_instance_key bigint,
    engine_epoch         text,                   -- the engine state process_instance_key lives in
    attempts             integer     NOT NULL DEFAULT 0,
    lease_until          timestamptz,            -- while sending: when the claim lapses
    next_attempt_at      timestamptz,            -- while queued: not before
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    sent_at              timestamptz,
    delivered_at         timestamptz,
    read_at              timestamptz,
    UNIQUE (tenant_id, idempotency_key)
);

CREATE UNIQUE INDEX messaging_message_by_provider_id
    ON messaging_message (session_id, wa_message_id) WHERE wa_message_id IS NOT NULL;
CREATE INDEX messaging_message_due
    ON messaging_message (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX messaging_message_claimed
    ON messaging_message (lease_until) WHERE status = 'sending';
CREATE INDEX messaging_message_awaiting_approval
    ON messaging_message (engine_epoch) WHERE status = 'pending' AND approval_id IS NOT NULL;
CREATE INDEX messaging_message_by_chat
    ON messaging_message (tenant_id, session_id, chat_id, created_at);
