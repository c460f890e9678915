-- Cluster placement (issue 21): each live channel is claimed by its origin node with a fencing token. The token is
-- this per-channel epoch, raised by one in a transaction for every new claim, so it only ever grows: a Redis that
-- restarts empty cannot hand an old holder a token that beats its successor's.
CREATE TABLE channel_epochs (
    channel_id BIGINT NOT NULL PRIMARY KEY,
    epoch      BIGINT NOT NULL,
    CONSTRAINT fk_channel_epochs_channel FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE
);
