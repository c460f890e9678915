package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNEL_EPOCHS;

import org.jooq.DSLContext;

/**
 * Per-channel fencing epochs of the cluster's channel placement: each new claim of a channel by an origin node takes
 * the next one. Kept here, not in Redis, because Redis may restart empty and an epoch must never repeat or go back.
 */
public final class ChannelEpochRepository {

    private final DSLContext dsl;

    ChannelEpochRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Raises the channel's epoch by one and returns the new value (1 for a channel never claimed), in one transaction:
     * the update takes the row lock, so two nodes claiming at once get two different epochs. A first claim racing
     * another first claim loses the insert and retries as an update: within the transaction where the database's
     * {@code ON CONFLICT DO NOTHING} says so (PostgreSQL), in a new one where the insert fails instead (H2 emulates
     * it, and the row the other claim is still committing makes the emulated insert fail as a duplicate).
     */
    public long next(long channelId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return nextOnce(channelId);
            } catch (DuplicateException e) {
                if (attempt >= 5) throw e;
                try {
                    Thread.sleep(attempt * 5L); // the other claim's transaction commits meanwhile
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private long nextOnce(long channelId) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            for (int attempt = 0; ; attempt++) {
                int changed = ctx.update(CHANNEL_EPOCHS).set(CHANNEL_EPOCHS.EPOCH, CHANNEL_EPOCHS.EPOCH.plus(1))
                        .where(CHANNEL_EPOCHS.CHANNEL_ID.eq(channelId)).execute();
                if (changed == 1) {
                    return ctx.select(CHANNEL_EPOCHS.EPOCH).from(CHANNEL_EPOCHS)
                            .where(CHANNEL_EPOCHS.CHANNEL_ID.eq(channelId)).fetchSingle().value1();
                }
                int inserted = ctx.insertInto(CHANNEL_EPOCHS).set(CHANNEL_EPOCHS.CHANNEL_ID, channelId).set(CHANNEL_EPOCHS.EPOCH, 1L)
                        .onConflictDoNothing().execute();
                if (inserted == 1) return 1L;
                if (attempt > 3) throw new IllegalStateException("channel " + channelId + ": epoch row neither updated nor inserted");
            }
        }));
    }

    /** The channel's current epoch, 0 when it was never claimed. */
    public long current(long channelId) {
        return SqlErrors.call(() -> dsl.select(CHANNEL_EPOCHS.EPOCH).from(CHANNEL_EPOCHS)
                .where(CHANNEL_EPOCHS.CHANNEL_ID.eq(channelId)).fetchOptional().map(r -> r.value1()).orElse(0L));
    }
}
