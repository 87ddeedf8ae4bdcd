-- Leads: contacts that showed interest, and where each stands in the pipeline (reference API §1.4,
-- §2.1). A lead is created by hand (POST /leads) or, later, by group monitoring, which fills the
-- source group and the trigger. Phones are E.164 digits without '+'.
CREATE TABLE leads_lead (
    id                uuid PRIMARY KEY,              -- UUIDv7: ordered by creation
    tenant_id         uuid        NOT NULL,
    contact_phone     text        NOT NULL,
    contact_name      text,
    lead_status       text        NOT NULL CHECK (lead_status IN ('new', 'contacted', 'qualified', 'converted', 'lost')),
    lead_score        integer     CHECK (lead_score BETWEEN 1 AND 10),
    lead_detected_at  timestamptz NOT NULL,
    source_group_id   uuid,
    source_group_name text,
    matched_keyword   text,
    message_preview   text,
    monitor_mode      text,
    status_changed_at timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    UNIQUE (tenant_id, contact_phone)
);
-- Lists and exports: newest first within a tenant, optionally by status or source group.
CREATE INDEX leads_lead_tenant ON leads_lead (tenant_id, id DESC);
CREATE INDEX leads_lead_tenant_status ON leads_lead (tenant_id, lead_status, id DESC);
CREATE INDEX leads_lead_tenant_source ON leads_lead (tenant_id, source_group_id, id DESC) WHERE source_group_id IS NOT NULL;
