-- Issue #11 (engine), item 4: when each row was last taken for an engine epoch (see
-- core.db.ProcessColumns). A row of the current epoch without an instance key longer than the
-- grace period lost its start (a crash between writing the row and starting its process) and is
-- started again; with a remote cluster the epoch never changes, so nothing else would pick it up.
ALTER TABLE messaging_message ADD COLUMN engine_claimed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE outreach_campaign ADD COLUMN engine_claimed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE outreach_scheduled_message ADD COLUMN engine_claimed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE outreach_follow_up ADD COLUMN engine_claimed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE analytics_report ADD COLUMN engine_claimed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE leads_lead ADD COLUMN engine_claimed_at timestamptz NOT NULL DEFAULT now();
