package live.cascade.db;

import static live.cascade.db.jooq.Tables.RESTREAM_TARGETS;

import java.time.Clock;
import java.util.List;
import live.cascade.db.jooq.tables.records.RestreamTargetsRecord;
import org.jooq.DSLContext;

/** A channel's restream destinations. */
public final class RestreamTargetRepository {
    private final DSLContext dsl;
    private final Clock clock;

    RestreamTargetRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** @throws ReferenceNotFoundException when the channel does not exist */
    public RestreamTarget create(long channelId, String url, String keyEnc) {
        return SqlErrors.call(() -> toTarget(dsl.insertInto(RESTREAM_TARGETS)
                .set(RESTREAM_TARGETS.CHANNEL_ID, channelId)
                .set(RESTREAM_TARGETS.URL, url)
                .set(RESTREAM_TARGETS.KEY_ENC, keyEnc)
                .set(RESTREAM_TARGETS.CREATED_AT, Times.toDb(clock.instant()))
                .returning().fetchSingle()));
    }

    public List<RestreamTarget> forChannel(long channelId) {
        return SqlErrors.call(() -> dsl.selectFrom(RESTREAM_TARGETS).where(RESTREAM_TARGETS.CHANNEL_ID.eq(channelId))
                .orderBy(RESTREAM_TARGETS.ID).fetch(RestreamTargetRepository::toTarget));
    }

    public int count(long channelId) {
        return SqlErrors.call(() -> dsl.fetchCount(RESTREAM_TARGETS, RESTREAM_TARGETS.CHANNEL_ID.eq(channelId)));
    }

    /** @return false when the channel has no such target */
    public boolean delete(long channelId, long id) {
        return SqlErrors.call(() -> dsl.deleteFrom(RESTREAM_TARGETS).where(RESTREAM_TARGETS.ID.eq(id))
                .and(RESTREAM_TARGETS.CHANNEL_ID.eq(channelId)).execute() == 1);
    }

    private static RestreamTarget toTarget(RestreamTargetsRecord r) {
        return new RestreamTarget(r.getId(), r.getChannelId(), r.getUrl(), r.getKeyEnc(), Times.fromDb(r.getCreatedAt()));
    }
}
