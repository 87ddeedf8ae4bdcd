-- When each number may send next, drawn after its last send (the send governor's randomised gap).
-- Kept here rather than in each Flowmate instance's memory, so that several instances sending for
-- one number space its sends as one would. A lane takes the number's turn by moving it forward
-- (a conditional update: one instance at a time) before it claims a message to send.
ALTER TABLE messaging_sender_state ADD COLUMN next_send_at timestamptz;
