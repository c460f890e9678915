-- Object storage (issue 24): where a recording's or clip's media and poster live in the bucket once uploaded.
-- storage_key names the first media part (the others and the VOD playlist lie beside it); thumbnail_key the poster.
-- Both NULL: the files are on the local disk of the data directory (media_path, thumbnail_path), as before.
-- H2 (MODE=PostgreSQL) and PostgreSQL.
ALTER TABLE recordings ADD COLUMN storage_key VARCHAR(1024);
ALTER TABLE recordings ADD COLUMN thumbnail_key VARCHAR(1024);
