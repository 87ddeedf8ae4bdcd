-- Every message type, and what grows around messages: chats, contacts (LID first, phone beside),
-- WhatsApp groups and their members, labels, opt-outs, and the send governor's per-number state.

ALTER TABLE messaging_message
    ADD COLUMN source       text NOT NULL DEFAULT 'api',  -- api | approval | phone | contact
    ADD COLUMN payload      jsonb,                        -- type-specific: media, poll, location, ...
    ADD COLUMN media_id     uuid,                         -- inline (base64) media, in messaging_media
    ADD COLUMN reply_to     text,                         -- WhatsApp id of the quoted message
    ADD COLUMN sender_lid   text,
    ADD COLUMN body_hash    bytea,                        -- duplicate-body guard
    ADD COLUMN played_at    timestamptz,
    ADD COLUMN replied_at   timestamptz,                  -- a reply arrived in the chat afterwards
    ADD COLUMN edited_at    timestamptz,
    ADD COLUMN revoked_at   timestamptz;

-- The governor counts a number's sends per minute, hour and day.
CREATE INDEX messaging_message_sent_by_session
    ON messaging_message (session_id, sent_at) WHERE direction = 'outbound' AND sent_at IS NOT NULL;
CREATE INDEX messaging_message_same_body
    ON messaging_message (session_id, chat_id, body_hash, sent_at) WHERE body_hash IS NOT NULL;

-- Media sent as base64 data, kept apart from the message rows.
CREATE TABLE messaging_media (
    id         uuid PRIMARY KEY,
    tenant_id  uuid        NOT NULL,
    mimetype   text        NOT NULL,
    filename   text,
    content    bytea       NOT NULL,
    created_at timestamptz NOT NULL
);

-- One row per chat of a session, updated as messages come and go.
CREATE TABLE messaging_chat (
    tenant_id            uuid        NOT NULL,
    session_id           uuid        NOT NULL,
    chat_id              text        NOT NULL,
    name                 text,
    is_group             boolean     NOT NULL,
    last_message_at      timestamptz NOT NULL,
    last_message_preview text,
    last_direction       text        NOT NULL,
    last_inbound_at      timestamptz,
    last_outbound_at     timestamptz,
    unread_count         integer     NOT NULL DEFAULT 0,
    message_count        integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, chat_id)
);
CREATE INDEX messaging_chat_recent ON messaging_chat (tenant_id, session_id, last_message_at DESC);

-- A person as one WhatsApp number (session) knows them: keyed on the linked id (LID) when known,
-- with the phone number beside it when known.
CREATE TABLE messaging_contact (
    id              uuid PRIMARY KEY,
    tenant_id       uuid        NOT NULL,
    session_id      uuid        NOT NULL,
    lid             text,
    phone           text,
    push_name       text,
    first_inbound_at timestamptz,          -- wrote first: reciprocity is satisfied
    last_inbound_at timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK (lid IS NOT NULL OR phone IS NOT NULL)
);
CREATE UNIQUE INDEX messaging_contact_by_lid ON messaging_contact (session_id, lid) WHERE lid IS NOT NULL;
CREATE UNIQUE INDEX messaging_contact_by_phone ON messaging_contact (session_id, phone) WHERE phone IS NOT NULL;

-- People who asked not to be messaged (STOP, SAIR, PARAR, BAJA, ...): honoured by every number
-- of the tenant, for good, until the tenant lifts it.
CREATE TABLE messaging_opt_out (
    tenant_id    uuid        NOT NULL,
    address      text        NOT NULL,     -- phone digits or <n>@lid
    keyword      text        NOT NULL,
    message_id   uuid,
    opted_out_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, address)
);

CREATE TABLE messaging_group (
    tenant_id         uuid        NOT NULL,
    session_id        uuid        NOT NULL,
    group_id          text        NOT NULL,   -- <id>@g.us
    subject           text,
    description       text,
    participant_count integer     NOT NULL DEFAULT 0,
    is_member         boolean     NOT NULL DEFAULT true,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (session_id, group_id)
);

CREATE TABLE messaging_group_member (
    session_id uuid        NOT NULL,
    group_id   text        NOT NULL,
    member_key text        NOT NULL,   -- the LID, else the phone number
    lid        text,
    phone      text,
    role       text        NOT NULL,   -- member | admin | superadmin
    left_at    timestamptz,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, group_id, member_key)
);

-- Labels: Flowmate's own, optionally mirrored as WhatsApp Business labels per session.
CREATE TABLE messaging_label (
    id          uuid PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    name        text        NOT NULL,
    color       text        NOT NULL,
    description text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
-- Names are unique per tenant regardless of case, as WhatsApp shows them.
CREATE UNIQUE INDEX messaging_label_name ON messaging_label (tenant_id, lower(name));

CREATE TABLE messaging_label_sync (
    label_id    uuid NOT NULL REFERENCES messaging_label (id) ON DELETE CASCADE,
    session_id  uuid NOT NULL,
    wa_label_id text NOT NULL,
    PRIMARY KEY (label_id, session_id),
    UNIQUE (session_id, wa_label_id)
);

CREATE TABLE messaging_chat_label (
    tenant_id  uuid        NOT NULL,
    session_id uuid        NOT NULL,
    chat_id    text        NOT NULL,
    label_id   uuid        NOT NULL REFERENCES messaging_label (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, chat_id, label_id)
);
CREATE INDEX messaging_chat_label_by_label ON messaging_chat_label (label_id);

-- What the send governor knows about a number beyond its messages.
CREATE TABLE messaging_sender_state (
    session_id            uuid PRIMARY KEY,
    tenant_id             uuid        NOT NULL,
    reachout_locked_until timestamptz,   -- error 463: no new contacts until then
    restriction           text,          -- why WhatsApp restricted the number, if it did
    updated_at            timestamptz NOT NULL
);
