package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNELS;
import static live.cascade.db.jooq.Tables.CHANNEL_TAGS;
import static live.cascade.db.jooq.Tables.FOLLOWS;
import static live.cascade.db.jooq.Tables.STREAM_SESSIONS;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import live.cascade.db.jooq.tables.StreamSessions;
import live.cascade.db.jooq.tables.records.ChannelsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.impl.DSL;

/**
 * Reads channels with what listings show beside the row itself: live state and viewers (from the open stream
 * session), follower count and tags. One query for the rows, one for all tags of those rows.
 */
final class ChannelReader {

    /** The channel's open broadcast, if any: at most one row per channel thanks to uq_stream_sessions_live. */
    static final StreamSessions LIVE = STREAM_SESSIONS.as("live_session");

    static final Field<Integer> LIVE_RANK =
            DSL.when(LIVE.ID.isNotNull(), DSL.inline(1)).otherwise(DSL.inline(0));
    static final Field<Integer> VIEWERS = DSL.coalesce(LIVE.VIEWER_COUNT, DSL.inline(0));
    private static final Field<Integer> FOLLOWERS =
            DSL.field(DSL.selectCount().from(FOLLOWS).where(FOLLOWS.CHANNEL_ID.eq(CHANNELS.ID)));

    private static final Field<Integer> LIVE_RANK_COL = LIVE_RANK.as("live_rank");
    private static final Field<Integer> VIEWERS_COL = VIEWERS.as("live_viewers");
    private static final Field<Integer> FOLLOWERS_COL = FOLLOWERS.as("follower_count");

    /** Listing order: live channels first, then more viewers first, then oldest channel first (id). */
    static final List<SortField<?>> ORDER = List.of(LIVE_RANK.desc(), VIEWERS.desc(), CHANNELS.ID.asc());

    /** Rows after {@code cursor} in {@link #ORDER}. */
    static Condition after(ChannelCursor cursor) {
        return LIVE_RANK.lt(cursor.live())
                .or(LIVE_RANK.eq(cursor.live()).and(VIEWERS.lt(cursor.viewerCount())))
                .or(LIVE_RANK.eq(cursor.live()).and(VIEWERS.eq(cursor.viewerCount()))
                        .and(CHANNELS.ID.gt(cursor.id())));
    }

    List<Channel> fetch(DSLContext ctx, Condition where, int limit) {
        List<Record> rows = ctx.select(CHANNELS.fields())
                .select(LIVE_RANK_COL, VIEWERS_COL, FOLLOWERS_COL)
                .from(CHANNELS)
                .leftJoin(LIVE).on(LIVE.LIVE_CHANNEL_ID.eq(CHANNELS.ID))
                .where(where)
                .orderBy(ORDER)
                .limit(limit)
                .fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(r -> r.get(CHANNELS.ID)).toList();
        Map<Long, List<String>> tags = new HashMap<>();
        ctx.select(CHANNEL_TAGS.CHANNEL_ID, CHANNEL_TAGS.TAG)
                .from(CHANNEL_TAGS)
                .where(CHANNEL_TAGS.CHANNEL_ID.in(ids))
                .forEach(r -> tags.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        // Sorted here, not in SQL: the databases' collations would disagree on punctuation and non-ASCII.
        tags.values().forEach(list -> list.sort(null));
        return rows.stream().map(r -> toChannel(r, tags.getOrDefault(r.get(CHANNELS.ID), List.of()))).toList();
    }

    private static Channel toChannel(Record r, List<String> tags) {
        ChannelsRecord c = r.into(CHANNELS);
        return new Channel(c.getId(), c.getOwnerId(), c.getSlug(), c.getTitle(), c.getCategory(), tags,
                c.getStreamKeyHash(), c.getStreamKeyEnc(), c.getSuspended(), Times.fromDb(c.getCreatedAt()),
                Times.fromDb(c.getUpdatedAt()), r.get(LIVE_RANK_COL) == 1, r.get(VIEWERS_COL),
                r.get(FOLLOWERS_COL), c.getVisibility(), Boolean.TRUE.equals(c.getMature()));
    }
}
