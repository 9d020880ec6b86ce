-- Threads: a reply queued together with the message it answers (a digest's details under its
-- parent) names that outbox row; it is sent once the parent is delivered, into the parent's thread
-- (Slack thread_ts / Teams replyToId = the parent's delivered id), and fails with it.
ALTER TABLE chat_outbox ADD COLUMN reply_of bigint REFERENCES chat_outbox (id);
ALTER TABLE chat_outbox ADD CONSTRAINT chat_outbox_reply_of_post CHECK (reply_of IS NULL OR operation = 'post');
CREATE INDEX chat_outbox_reply_of ON chat_outbox (reply_of) WHERE reply_of IS NOT NULL;
