package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNELS;
import static live.cascade.db.jooq.Tables.CHANNEL_TAGS;
import static live.cascade.db.jooq.Tables.FOLLOWS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Channels. Slugs are unique ignoring case; tags are stored lower-cased and de-duplicated; a stream key is found by
 * its hash.
 */
public final class ChannelRepository {

    private final DSLContext dsl;
    private final Clock clock;
    private final ChannelReader reader;

    ChannelRepository(DSLContext dsl, Clock clock, ChannelReader reader) {
        this.dsl = dsl;
        this.clock = clock;
        this.reader = reader;
    }

    /**
     * Creates the channel and its tags in one transaction.
     *
     * @throws DuplicateException         field "slug" (ignoring case) or "streamKey"
     * @throws ReferenceNotFoundException field "ownerId" if the owner does not exist
     */
    public Channel create(long ownerId, String slug, String title, String category, List<String> tags,
                          String streamKeyHash, String streamKeyEnc) {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(streamKeyHash, "streamKeyHash");
        Objects.requireNonNull(streamKeyEnc, "streamKeyEnc");
        Set<String> normalized = normalizeTags(tags == null ? List.of() : tags);
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            var now = Times.toDb(clock.instant());
            long id = ctx.insertInto(CHANNELS)
                    .set(CHANNELS.OWNER_ID, ownerId)
                    .set(CHANNELS.SLUG, slug)
                    .set(CHANNELS.SLUG_LOWER, UserRepository.lower(slug))
                    .set(CHANNELS.TITLE, title)
                    .set(CHANNELS.CATEGORY, category)
                    .set(CHANNELS.CATEGORY_LOWER, UserRepository.lower(category))
                    .set(CHANNELS.STREAM_KEY_HASH, streamKeyHash)
                    .set(CHANNELS.STREAM_KEY_ENC, streamKeyEnc)
                    .set(CHANNELS.SUSPENDED, false)
                    .set(CHANNELS.CREATED_AT, now)
                    .set(CHANNELS.UPDATED_AT, now)
                    .returningResult(CHANNELS.ID)
                    .fetchSingle()
                    .value1();
            insertTags(ctx, id, normalized);
            return readOne(ctx, CHANNELS.ID.eq(id)).orElseThrow();
        }));
    }

    public Optional<Channel> findById(long id) {
        return SqlErrors.call(() -> readOne(dsl, CHANNELS.ID.eq(id)));
    }

    /** Ignoring case. */
    public Optional<Channel> findBySlug(String slug) {
        Objects.requireNonNull(slug, "slug");
        return SqlErrors.call(() -> readOne(dsl, CHANNELS.SLUG_LOWER.eq(UserRepository.lower(slug))));
    }

    public Optional<Channel> findByStreamKeyHash(String streamKeyHash) {
        Objects.requireNonNull(streamKeyHash, "streamKeyHash");
        return SqlErrors.call(() -> readOne(dsl, CHANNELS.STREAM_KEY_HASH.eq(streamKeyHash)));
    }

    /**
     * Applies the non-null parts of {@code update} in one transaction and bumps {@code updatedAt}.
     *
     * @return the channel after the change, empty if it does not exist
     */
    public Optional<Channel> update(long id, ChannelUpdate update) {
        Objects.requireNonNull(update, "update");
        Set<String> tags = update.tags() == null ? null : normalizeTags(update.tags());
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            var step = ctx.update(CHANNELS).set(CHANNELS.UPDATED_AT, Times.toDb(clock.instant()));
            if (update.title() != null) {
                step = step.set(CHANNELS.TITLE, update.title());
            }
            if (update.category() != null) {
                step = step.set(CHANNELS.CATEGORY, update.category())
                        .set(CHANNELS.CATEGORY_LOWER, UserRepository.lower(update.category()));
            }
            if (step.where(CHANNELS.ID.eq(id)).execute() == 0) {
                return Optional.<Channel>empty();
            }
            if (tags != null) {
                ctx.deleteFrom(CHANNEL_TAGS).where(CHANNEL_TAGS.CHANNEL_ID.eq(id)).execute();
                insertTags(ctx, id, tags);
            }
            return readOne(ctx, CHANNELS.ID.eq(id));
        }));
    }

    /** How many channels {@code ownerId} owns (suspended ones included). */
    public int countByOwner(long ownerId) {
        return SqlErrors.call(() -> dsl.fetchCount(CHANNELS, CHANNELS.OWNER_ID.eq(ownerId)));
    }

    /** Deletes the channel with its tags, stream sessions and follows. @return false if it did not exist */
    public boolean delete(long id) {
        return SqlErrors.call(() -> dsl.deleteFrom(CHANNELS).where(CHANNELS.ID.eq(id)).execute() == 1);
    }

    /**
     * Replaces the stream key; the old hash no longer finds the channel.
     *
     * @return false if the channel does not exist
     * @throws DuplicateException field "streamKey" if another channel has this hash
     */
    public boolean rotateStreamKey(long id, String newHash, String newEnc) {
        Objects.requireNonNull(newHash, "newHash");
        Objects.requireNonNull(newEnc, "newEnc");
        return SqlErrors.call(() -> dsl.update(CHANNELS)
                .set(CHANNELS.STREAM_KEY_HASH, newHash)
                .set(CHANNELS.STREAM_KEY_ENC, newEnc)
                .set(CHANNELS.UPDATED_AT, Times.toDb(clock.instant()))
                .where(CHANNELS.ID.eq(id))
                .execute() == 1);
    }

    /** @return false if the channel does not exist */
    public boolean setSuspended(long id, boolean suspended) {
        return SqlErrors.call(() -> dsl.update(CHANNELS)
                .set(CHANNELS.SUSPENDED, suspended)
                .set(CHANNELS.UPDATED_AT, Times.toDb(clock.instant()))
                .where(CHANNELS.ID.eq(id))
                .execute() == 1);
    }

    /**
     * One page of channels in listing order: live first, then by current viewers (descending), then by id.
     * Paging is keyset on that sort key, so it costs the same on page 100 as on page 1. Viewer counts move while
     * someone pages, so a channel whose count changes between two page fetches can appear twice or be skipped; a
     * directory can live with that, and showing the busiest live channels first is the point of it.
     *
     * @throws InvalidCursorException if {@code query.cursor()} was not issued by this method
     */
    public Page<Channel> list(ChannelQuery query) {
        Objects.requireNonNull(query, "query");
        List<Condition> where = new ArrayList<>();
        if (query.ownerId() != null) {
            where.add(CHANNELS.OWNER_ID.eq(query.ownerId()));
        }
        if (query.live() != null) {
            where.add(query.live() ? ChannelReader.LIVE.ID.isNotNull() : ChannelReader.LIVE.ID.isNull());
        }
        if (query.category() != null) {
            where.add(CHANNELS.CATEGORY_LOWER.eq(UserRepository.lower(query.category().strip())));
        }
        if (query.q() != null) {
            String q = UserRepository.lower(query.q());
            // contains() escapes % and _ in q, so they match literally.
            where.add(CHANNELS.TITLE.containsIgnoreCase(query.q())
                    .or(CHANNELS.CATEGORY_LOWER.contains(q))
                    .or(DSL.exists(DSL.selectOne().from(CHANNEL_TAGS)
                            .where(CHANNEL_TAGS.CHANNEL_ID.eq(CHANNELS.ID)).and(CHANNEL_TAGS.TAG.contains(q)))));
        }
        if (query.followedBy() != null) {
            where.add(DSL.exists(DSL.selectOne().from(FOLLOWS)
                    .where(FOLLOWS.CHANNEL_ID.eq(CHANNELS.ID)).and(FOLLOWS.USER_ID.eq(query.followedBy()))));
        }
        if (!query.includeSuspended()) {
            // Owner and admin listings (the ones that include suspended channels) show unlisted and private ones too.
            where.add(CHANNELS.VISIBILITY.eq("public"));
            where.add(CHANNELS.SUSPENDED.isFalse());
            where.add(DSL.notExists(DSL.selectOne().from(USERS)
                    .where(USERS.ID.eq(CHANNELS.OWNER_ID)).and(USERS.SUSPENDED.isTrue())));
        }
        if (query.cursor() != null) {
            where.add(ChannelReader.after(ChannelCursor.decode(query.cursor())));
        }
        // One extra row tells whether another page exists without a count query.
        List<Channel> rows = SqlErrors.call(() -> reader.fetch(dsl, DSL.and(where), query.limit() + 1));
        if (rows.size() <= query.limit()) {
            return new Page<>(rows, null);
        }
        List<Channel> page = rows.subList(0, query.limit());
        return new Page<>(page, ChannelCursor.after(page.getLast()).encode());
    }

    private Optional<Channel> readOne(DSLContext ctx, Condition where) {
        List<Channel> found = reader.fetch(ctx, where, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    private static void insertTags(DSLContext ctx, long channelId, Collection<String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        var insert = ctx.insertInto(CHANNEL_TAGS, CHANNEL_TAGS.CHANNEL_ID, CHANNEL_TAGS.TAG);
        for (String tag : tags) {
            insert = insert.values(channelId, tag);
        }
        insert.execute();
    }

    /** Trimmed, lower-cased, blanks dropped, first occurrence kept. */
    static Set<String> normalizeTags(List<String> tags) {
        Set<String> result = new LinkedHashSet<>();
        for (String tag : tags) {
            if (tag != null && !tag.isBlank()) {
                result.add(UserRepository.lower(tag.strip()));
            }
        }
        return result;
    }

    /**
     * Takes the right to tell the channel's followers it went live: true for exactly one caller per {@code interval}
     * (a conditional update, so nodes racing for one broadcast start agree), false while an earlier notice is newer.
     */
    public boolean claimLiveNotice(long channelId, java.time.Duration interval) {
        var now = clock.instant();
        var cutoff = Times.toDb(now.minus(interval));
        return SqlErrors.call(() -> dsl.update(CHANNELS).set(CHANNELS.LIVE_NOTIFIED_AT, Times.toDb(now))
                .where(CHANNELS.ID.eq(channelId))
                .and(CHANNELS.LIVE_NOTIFIED_AT.isNull().or(CHANNELS.LIVE_NOTIFIED_AT.le(cutoff)))
                .execute() == 1);
    }

    /** Sets {@code public}, {@code unlisted} or {@code private}. @return false if there is no such channel */
    /** Flags the channel mature (viewers pass an age gate) or not; false if there is no such channel. */
    public boolean setMature(long channelId, boolean mature) {
        return SqlErrors.call(() -> dsl.update(CHANNELS).set(CHANNELS.MATURE, mature)
                .where(CHANNELS.ID.eq(channelId)).execute()) == 1;
    }

    public boolean setVisibility(long channelId, String visibility) {
        Objects.requireNonNull(visibility, "visibility");
        return SqlErrors.call(() -> dsl.update(CHANNELS).set(CHANNELS.VISIBILITY, visibility)
                .set(CHANNELS.UPDATED_AT, Times.toDb(clock.instant())).where(CHANNELS.ID.eq(channelId)).execute() == 1);
    }
}
