-- Pairing state: the passkey challenge WhatsApp may ask for when a device is linked, and when the
-- number was first paired (the send governor's warm-up curve starts there).
ALTER TABLE gateway_session ADD COLUMN passkey_challenge text;
ALTER TABLE gateway_session ADD COLUMN paired_at timestamptz;
