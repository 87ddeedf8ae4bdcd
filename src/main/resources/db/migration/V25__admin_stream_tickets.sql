-- Single-use tickets that open one live event stream (POST /api/v2/stream-ticket). In PostgreSQL,
-- not in memory, so that a ticket made on one instance opens a stream on another behind the same
-- load balancer. Only the SHA-256 of a ticket is stored; rows live for a minute.
CREATE TABLE admin_stream_ticket (
    ticket_hash bytea       PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    api_key_id  uuid        NOT NULL,
    scopes      text[]      NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE INDEX admin_stream_ticket_by_key ON admin_stream_ticket (api_key_id);
CREATE INDEX admin_stream_ticket_by_expiry ON admin_stream_ticket (expires_at);
