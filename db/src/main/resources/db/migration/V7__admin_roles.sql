-- Site-wide administrative actions (an account made admin or user) go to the moderation log too, with no channel.
ALTER TABLE moderation_actions ALTER COLUMN channel_id DROP NOT NULL;
-- Serialises role changes, so two admins demoting each other at once cannot leave the node without an admin.
INSERT INTO app_locks (name) VALUES ('admin_roles');
