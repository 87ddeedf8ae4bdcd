-- Custom groups: the tenant's contact lists (not WhatsApp groups), the audience of campaigns and
-- schedules. A member is a phone number (E.164 digits, no '+') with an optional name and custom
-- fields for personalisation ({first_name}, {city}, ...) and for filtering (unpaid = yes).
CREATE TABLE outreach_custom_group (
    id         uuid PRIMARY KEY,
    tenant_id  uuid        NOT NULL,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX outreach_custom_group_name ON outreach_custom_group (tenant_id, lower(name));

CREATE TABLE outreach_custom_group_member (
    id         uuid PRIMARY KEY,
    group_id   uuid        NOT NULL REFERENCES outreach_custom_group (id) ON DELETE CASCADE,
    phone      text        NOT NULL,
    name       text,
    fields     jsonb       NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    UNIQUE (group_id, phone)
);
-- Campaigns and schedules page through members in id order (UUIDv7: creation order).
CREATE INDEX outreach_custom_group_member_page ON outreach_custom_group_member (group_id, id);
