package live.cascade.api.access;

import live.cascade.api.auth.Secrets;
import live.cascade.db.Channel;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a channel is private, and whether a viewer token opens it. The private flag is read through a short cache
 * (HLS players poll their playlists every couple of seconds); a channel made private is closed to new playlists within
 * {@link #TTL}, and a token is checked against the database every time it is presented.
 */
public final class ViewerAccess {
    /** Viewer tokens start with this, so one that leaks says what it is. */
    public static final String PREFIX = "cvt_";
    static final Duration TTL = Duration.ofSeconds(2);
    /**
     * While the database is unreachable, a flag read this recently still answers (the WHEP channel lookup's stale limit):
     * a public channel's viewers keep joining through an outage, as they did before visibility existed.
     */
    static final Duration STALE_LIMIT = Duration.ofSeconds(30);
    private static final int MAX_CACHED = 10_000;
    private static final int MAX_TOKEN = 100;

    private final Database db;
    private final Clock clock;
    private final Map<Long, Cached> byId = new ConcurrentHashMap<>();
    private final Map<String, Long> privateBySlug = new ConcurrentHashMap<>();
    private final Map<String, Instant> slugChecked = new ConcurrentHashMap<>();

    private record Cached(boolean privateChannel, Instant at) {
    }

    public ViewerAccess(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public boolean isPrivate(long channelId) {
        Instant now = clock.instant();
        Cached c = byId.get(channelId);
        if (c != null && c.at().plus(TTL).isAfter(now)) return c.privateChannel();
        boolean p;
        try {
            p = db.channels().findById(channelId).map(ViewerAccess::isPrivate).orElse(false);
        } catch (RuntimeException e) {
            if (c != null && c.at().plus(STALE_LIMIT).isAfter(now)) return c.privateChannel();
            throw e;
        }
        if (byId.size() >= MAX_CACHED) byId.clear();
        byId.put(channelId, new Cached(p, now));
        return p;
    }

    /** The id of the channel with this slug if it is private, else 0 (public, unlisted or no such channel). */
    public long privateChannelId(String slug) {
        String key = slug.toLowerCase(java.util.Locale.ROOT);
        Instant now = clock.instant();
        Instant at = slugChecked.get(key);
        if (at == null || !at.plus(TTL).isAfter(now)) {
            Long id;
            try {
                id = db.channels().findBySlug(slug).filter(ViewerAccess::isPrivate).map(Channel::id).orElse(0L);
            } catch (RuntimeException e) {
                if (at != null && at.plus(STALE_LIMIT).isAfter(now)) return privateBySlug.getOrDefault(key, 0L);
                throw e;
            }
            if (slugChecked.size() >= MAX_CACHED) {
                slugChecked.clear();
                privateBySlug.clear();
            }
            privateBySlug.put(key, id);
            slugChecked.put(key, now);
            return id;
        }
        return privateBySlug.getOrDefault(key, 0L);
    }

    public static boolean isPrivate(Channel c) {
        return Visibility.PRIVATE.dbValue().equals(c.visibility());
    }

    /** Whether {@code token} is a viewer token that opens the channel now (a single-use one is used up by a yes). */
    public boolean opens(long channelId, String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > MAX_TOKEN) return false;
        return db.viewerTokens().use(Secrets.sha256Hex(token), channelId);
    }

    /** Forgets the cached flag, after the channel's visibility changed on this node. */
    public void changed(long channelId) {
        byId.remove(channelId);
        slugChecked.clear();
    }

    /** The detail of a refusal for a private channel's playback. */
    public static String privateDetail(String slug, String how) {
        return "Channel '" + slug + "' is private: its owner shares it with a viewer token, sent " + how
                + ". This one is missing, expired, used up or for another channel.";
    }
}
