-- A recording whose muxer kept refusing packets is closed and continues in a new file beside the first (issue 17):
-- recording.mp4, recording-2.mp4, ... in the same directory. parts says how many there are; media_path names the
-- first, the others follow from it. duration_ms and size_bytes cover all parts. H2 (MODE=PostgreSQL) and PostgreSQL.
ALTER TABLE recordings ADD COLUMN parts INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE recordings ADD CONSTRAINT ck_recordings_parts CHECK (parts >= 1);
