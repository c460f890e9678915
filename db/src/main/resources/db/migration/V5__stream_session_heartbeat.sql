-- A node that owns a live broadcast refreshes heartbeat_at; any node ends broadcasts whose heartbeat stopped, so a
-- crashed media node does not leave its channels "live" on a shared database. Rows from before carry NULL and are
-- judged by started_at.
ALTER TABLE stream_sessions ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_stream_sessions_open ON stream_sessions (live_channel_id, heartbeat_at);
