"""Chat writes, split by sub-domain: messages (send, delete, history), moderation, emotes, reports."""
