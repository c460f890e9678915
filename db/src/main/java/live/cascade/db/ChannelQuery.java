package live.cascade.db;

/**
 * Filters and paging for {@link ChannelRepository#list(ChannelQuery)}. Null filters don't filter. Build one with
 * {@link #firstPage(int)} and the {@code with...} methods.
 *
 * @param ownerId          only channels of this owner
 * @param live             true: only live channels; false: only offline ones
 * @param category         exact category, case-insensitive
 * @param q                case-insensitive substring of the title, the category or one of the tags
 * @param followedBy       only channels this user follows
 * @param includeSuspended false hides channels that are suspended or whose owner is suspended
 * @param limit            page size, 1 to {@link #MAX_LIMIT}
 * @param cursor           {@link Page#next()} of the previous page, or null for the first page
 */
public record ChannelQuery(Long ownerId, Boolean live, String category, String q, Long followedBy,
                           boolean includeSuspended, int limit, String cursor) {

    public static final int MAX_LIMIT = 200;

    public ChannelQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (category != null && category.isBlank()) {
            category = null;
        }
        if (q != null) {
            q = q.strip();
            if (q.isEmpty()) {
                q = null;
            }
        }
    }

    /** The public directory's first page: every channel that isn't suspended. */
    public static ChannelQuery firstPage(int limit) {
        return new ChannelQuery(null, null, null, null, null, false, limit, null);
    }

    public ChannelQuery withOwner(Long ownerId) {
        return new ChannelQuery(ownerId, live, category, q, followedBy, includeSuspended, limit, cursor);
    }

    public ChannelQuery withLive(Boolean live) {
        return new ChannelQuery(ownerId, live, category, q, followedBy, includeSuspended, limit, cursor);
    }

    public ChannelQuery withCategory(String category) {
        return new ChannelQuery(ownerId, live, category, q, followedBy, includeSuspended, limit, cursor);
    }

    public ChannelQuery withQ(String q) {
        return new ChannelQuery(ownerId, live, category, q, followedBy, includeSuspended, limit, cursor);
    }

    public ChannelQuery withFollowedBy(Long userId) {
        return new ChannelQuery(ownerId, live, category, q, userId, includeSuspended, limit, cursor);
    }

    public ChannelQuery withIncludeSuspended(boolean includeSuspended) {
        return new ChannelQuery(ownerId, live, category, q, followedBy, includeSuspended, limit, cursor);
    }

    public ChannelQuery withCursor(String cursor) {
        return new ChannelQuery(ownerId, live, category, q, followedBy, includeSuspended, limit, cursor);
    }
}
