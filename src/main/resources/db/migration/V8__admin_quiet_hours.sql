-- Quiet hours in the tenant's time zone: the send governor holds messages until they end.
ALTER TABLE admin_tenant ADD COLUMN quiet_hours_start time;
ALTER TABLE admin_tenant ADD COLUMN quiet_hours_end time;
