-- When a chat's summary last changed, in database time: other modules follow direct chats'
-- activity from here in commit order (Conversations.directChatsChanged), instead of being told
-- about every message. WhatsApp's own timestamps (last_message_at) can arrive out of order.
ALTER TABLE messaging_chat ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX messaging_chat_direct_by_recorded ON messaging_chat (recorded_at, session_id, chat_id) WHERE NOT is_group;
