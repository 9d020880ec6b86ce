-- A person's own view of costbridge: the Slack App Home (views.publish) is delivered through the
-- outbox like every message, so it is retried, ordered, and its buttons are re-checked against what
-- was published. A 'home' row publishes a person's App Home (target: their Slack user id; delivered
-- id `home:<view id>`); a refresh is an 'update' of that row, published the same way.
ALTER TABLE chat_outbox DROP CONSTRAINT chat_outbox_operation_check;
ALTER TABLE chat_outbox ADD CONSTRAINT chat_outbox_operation_check CHECK (operation IN ('post', 'ephemeral', 'update', 'home'));

-- A person's current home is found by its purpose prefix (`home:<platform user id>:`) after every
-- decision they take: an index over the few home rows keeps that one lookup off the outbox's bulk.
CREATE INDEX chat_outbox_home ON chat_outbox (platform, purpose text_pattern_ops) WHERE purpose LIKE 'home:%';
