package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNELS;
import static live.cascade.db.jooq.Tables.CHAT_MESSAGES;
import static live.cascade.db.jooq.Tables.FOLLOWS;
import static live.cascade.db.jooq.Tables.STREAM_SESSIONS;
import static live.cascade.db.jooq.Tables.VIEWER_SESSIONS;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DatePart;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Read-only aggregates over viewer sessions, follows and chat for the analytics overview. Each figure is one grouped
 * query over all the selected channels, so the cost does not grow with a query per channel.
 */
public final class AnalyticsRepository {
    private final DSLContext dsl;

    AnalyticsRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Activity of the channels of {@code ownerId} (every channel when it is null), ordered by id.
     *
     * @param watchFrom start of the watch-time window, which ends at {@code now}
     * @param chatFrom  messages posted at or after this instant count
     */
    public List<ChannelActivity> activity(Long ownerId, Instant watchFrom, Instant now, Instant chatFrom) {
        Objects.requireNonNull(watchFrom, "watchFrom");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(chatFrom, "chatFrom");
        Condition scope = ownerId == null ? DSL.noCondition() : CHANNELS.OWNER_ID.eq(ownerId);
        return SqlErrors.call(() -> {
            Map<Long, Integer> viewers = liveViewers(scope);
            Map<Long, long[]> watch = watched(scope, watchFrom, now);
            Map<Long, Integer> chat = chatMessages(scope, chatFrom);
            Field<Integer> followers = DSL.field(DSL.selectCount().from(FOLLOWS).where(FOLLOWS.CHANNEL_ID.eq(CHANNELS.ID)));
            Field<Boolean> live = DSL.field(DSL.exists(DSL.selectOne().from(STREAM_SESSIONS)
                    .where(STREAM_SESSIONS.LIVE_CHANNEL_ID.eq(CHANNELS.ID))));
            return dsl.select(CHANNELS.ID, CHANNELS.SLUG, CHANNELS.TITLE, live, followers)
                    .from(CHANNELS)
                    .where(scope)
                    .orderBy(CHANNELS.ID)
                    .fetch(r -> {
                        long id = r.value1();
                        long[] w = watch.getOrDefault(id, new long[2]);
                        return new ChannelActivity(id, r.value2(), r.value3(), Boolean.TRUE.equals(r.value4()),
                                viewers.getOrDefault(id, 0), r.value5(), w[0], (int) w[1], chat.getOrDefault(id, 0));
                    });
        });
    }

    /** Open viewer sessions of live channels; a session left open by a node that died does not count once it is off air. */
    private Map<Long, Integer> liveViewers(Condition scope) {
        Map<Long, Integer> out = new HashMap<>();
        dsl.select(VIEWER_SESSIONS.CHANNEL_ID, DSL.count())
                .from(VIEWER_SESSIONS)
                .join(CHANNELS).on(CHANNELS.ID.eq(VIEWER_SESSIONS.CHANNEL_ID))
                .join(STREAM_SESSIONS).on(STREAM_SESSIONS.LIVE_CHANNEL_ID.eq(VIEWER_SESSIONS.CHANNEL_ID))
                .where(scope).and(VIEWER_SESSIONS.ENDED_AT.isNull())
                .groupBy(VIEWER_SESSIONS.CHANNEL_ID)
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    /**
     * Per channel: seconds watched inside [from, now] (each session clipped to the window; an open one runs to now)
     * and the number of sessions overlapping it. The clipping happens in SQL on epoch seconds, which both
     * databases extract from a timestamp with time zone.
     */
    private Map<Long, long[]> watched(Condition scope, Instant from, Instant now) {
        Field<BigDecimal> fromEpoch = DSL.inline(BigDecimal.valueOf(from.getEpochSecond(), 0).add(micros(from)));
        Field<BigDecimal> nowEpoch = DSL.inline(BigDecimal.valueOf(now.getEpochSecond(), 0).add(micros(now)));
        Field<BigDecimal> start = DSL.extract(VIEWER_SESSIONS.STARTED_AT, DatePart.EPOCH).cast(SQLDataType.DECIMAL(20, 6));
        Field<BigDecimal> end = DSL.extract(VIEWER_SESSIONS.ENDED_AT, DatePart.EPOCH).cast(SQLDataType.DECIMAL(20, 6));
        Field<BigDecimal> clippedEnd = DSL.least(DSL.coalesce(end, nowEpoch), nowEpoch);
        Field<BigDecimal> clippedStart = DSL.greatest(start, fromEpoch);
        Field<BigDecimal> seconds = DSL.sum(DSL.greatest(clippedEnd.minus(clippedStart), DSL.inline(BigDecimal.ZERO)));
        Map<Long, long[]> out = new HashMap<>();
        dsl.select(VIEWER_SESSIONS.CHANNEL_ID, seconds, DSL.count())
                .from(VIEWER_SESSIONS)
                .join(CHANNELS).on(CHANNELS.ID.eq(VIEWER_SESSIONS.CHANNEL_ID))
                .where(scope)
                .and(VIEWER_SESSIONS.STARTED_AT.lt(Times.toDb(now)))
                .and(VIEWER_SESSIONS.ENDED_AT.isNull().or(VIEWER_SESSIONS.ENDED_AT.gt(Times.toDb(from))))
                .groupBy(VIEWER_SESSIONS.CHANNEL_ID)
                .forEach(r -> out.put(r.value1(), new long[] {r.value2() == null ? 0 : r.value2().longValue(), r.value3()}));
        return out;
    }

    private Map<Long, Integer> chatMessages(Condition scope, Instant from) {
        Map<Long, Integer> out = new HashMap<>();
        dsl.select(CHAT_MESSAGES.CHANNEL_ID, DSL.count())
                .from(CHAT_MESSAGES)
                .join(CHANNELS).on(CHANNELS.ID.eq(CHAT_MESSAGES.CHANNEL_ID))
                .where(scope).and(CHAT_MESSAGES.CREATED_AT.ge(Times.toDb(from)))
                .groupBy(CHAT_MESSAGES.CHANNEL_ID)
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    private static BigDecimal micros(Instant t) {
        return BigDecimal.valueOf(t.getNano() / 1000, 6);
    }
}
