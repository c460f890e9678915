package live.cascade.api.cluster;

import live.cascade.db.Database;

/**
 * Fencing tokens from the database's per-channel epoch ({@code channel_epochs}, raised in a transaction), which
 * every node shares and which survives a Redis restart: Redis keeps the current claim, never the counter.
 */
public final class DbFencingCounter implements FencingCounter {
    private final Database db;

    public DbFencingCounter(Database db) {
        this.db = db;
    }

    @Override
    public long next(long channelId) {
        return db.channelEpochs().next(channelId);
    }
}
