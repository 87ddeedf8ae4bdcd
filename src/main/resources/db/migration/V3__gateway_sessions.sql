-- A session is one WhatsApp number linked to Flowmate (reference API §2.2).
CREATE TABLE gateway_session (
    id                uuid PRIMARY KEY,
    tenant_id         uuid        NOT NULL,
    name              text        NOT NULL,
    status            text        NOT NULL CHECK (status IN
                        ('stopped', 'starting', 'qr_code', 'working', 'failed', 'passkey_required')),
    -- What the user asked for; on start-up every session that should run is opened again.
    desired_state     text        NOT NULL CHECK (desired_state IN ('running', 'stopped')),
    phone_number      text,                    -- known once paired
    push_name         text,
    is_business       boolean     NOT NULL DEFAULT false,
    qr_code           text,                    -- latest pairing challenge while status = qr_code
    failure_reason    text,
    config            jsonb       NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    status_changed_at timestamptz NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE INDEX gateway_session_by_tenant ON gateway_session (tenant_id, created_at);
CREATE INDEX gateway_session_to_resume ON gateway_session (desired_state) WHERE desired_state = 'running';
