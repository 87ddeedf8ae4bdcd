-- Analytics read models. They are written by synchronous listeners of messaging's events, inside
-- the transaction in which messaging records what happened (one statement per transaction), and
-- read by the analytics API: no request counts messages.

-- One row per message a campaign queued: the campaign's funnel and its per-contact status.
CREATE TABLE analytics_campaign_message (
    message_id     uuid PRIMARY KEY,
    tenant_id      uuid        NOT NULL,
    campaign_id    uuid        NOT NULL,   -- the bulk-send job
    chat_id        text        NOT NULL,
    status         text        NOT NULL,   -- queued | sent | delivered | read | played | failed | cancelled
    progress       smallint    NOT NULL,   -- 1 queued, 2 sent, 3 delivered, 4 read, 5 played, 6 failed or
                                           -- cancelled: only ever grows, like the message's status
    failure_reason text,
    queued_at      timestamptz,
    sent_at        timestamptz,
    delivered_at   timestamptz,
    read_at        timestamptz,
    replied_at     timestamptz,            -- the contact wrote back within messaging's reply window
    failed_at      timestamptz             -- failed or cancelled
);
CREATE INDEX analytics_campaign_message_by_campaign ON analytics_campaign_message (campaign_id, message_id);

-- One row per person a tenant's numbers wrote to or heard from in a direct chat (all numbers
-- together): what the engagement score is computed from.
CREATE TABLE analytics_contact (
    tenant_id         uuid        NOT NULL,
    contact_key       text        NOT NULL,   -- <phone>@c.us when the phone number is known, else <n>@lid
    contact_id        uuid,                   -- messaging's contact id, as last seen
    messages_sent     integer     NOT NULL DEFAULT 0,   -- ours that WhatsApp accepted
    messages_received integer     NOT NULL DEFAULT 0,
    messages_read     integer     NOT NULL DEFAULT 0,   -- ours they read
    messages_replied  integer     NOT NULL DEFAULT 0,   -- ours they replied to
    last_sent_at      timestamptz,
    last_received_at  timestamptz,
    PRIMARY KEY (tenant_id, contact_key)
);
CREATE INDEX analytics_contact_by_contact_id ON analytics_contact (contact_id) WHERE contact_id IS NOT NULL;

-- What happened to the messages sent in each hour of the week (tenant's local time when sent;
-- Monday 00:00-01:00 is 0, Sunday 23:00-24:00 is 167), for the whole tenant (contact_key '') and
-- per contact. The whole tenant's counters are spread over shards (rows added up when read) so
-- that concurrent writers do not wait for each other; a contact's use shard 0.
CREATE TABLE analytics_send_slot (
    tenant_id          uuid     NOT NULL,
    contact_key        text     NOT NULL,
    hour_of_week       smallint NOT NULL,
    shard              smallint NOT NULL,
    sent_count         integer  NOT NULL DEFAULT 0,
    read_count         integer  NOT NULL DEFAULT 0,
    read_quickly_count integer  NOT NULL DEFAULT 0,   -- read within flowmate.analytics.read-models.quick-read
    replied_count      integer  NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, contact_key, hour_of_week, shard)
);

-- When the read models were last rebuilt from the stored messages (none yet: the first start
-- after this migration builds them, so an existing database starts with its history).
CREATE TABLE analytics_rebuild (
    id         boolean     PRIMARY KEY DEFAULT true CHECK (id),
    rebuilt_at timestamptz NOT NULL,
    messages   bigint      NOT NULL
);
