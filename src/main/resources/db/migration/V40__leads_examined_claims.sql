-- Group messages lead detection has examined, claimed in the transaction that records what it made
-- of them: when several Flowmate instances run, the catch-up of one that just started reads
-- messages another is examining at that moment, and each message must count (and make its lead,
-- its auto-reply) once. Claims older than a day are forgotten: by then every catch-up starts after
-- their messages.
CREATE TABLE leads_group_examined (
    message_id  uuid PRIMARY KEY,
    examined_at timestamptz NOT NULL
);
CREATE INDEX leads_group_examined_at ON leads_group_examined (examined_at);
