-- A claim on outgoing messages is named by a token: renewing its lease and every state change
-- after it (sent, failed, queued again) name the token, so a holder whose lease lapsed and whose
-- message another dispatcher took over changes nothing. claimed_at is when the claim began: a
-- lease its holder renews no longer tells, and recovery asks WhatsApp for sends since then.
ALTER TABLE messaging_message
    ADD COLUMN claim_token uuid,
    ADD COLUMN claimed_at  timestamptz;

-- Why the number's queue waits (the pacer's latest answer), shown on its queued messages that say
-- nothing themselves: one row per number, written when the reason changes, not per message.
ALTER TABLE messaging_sender_state ADD COLUMN waiting_reason text;
