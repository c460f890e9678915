package live.cascade.api.media;

import live.cascade.whipwhep.ChannelDirectory;
import live.cascade.whipwhep.PublishTarget;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers WHEP's slug lookups for a moment. When a popular channel goes live, or is raided, thousands of viewers
 * POST within seconds; each lookup is two queries, which on a busy node were most of the CPU a WHEP POST cost. A
 * suspension therefore reaches new viewers within {@code ttl} (current viewers are cut by the force-end it comes
 * with). WHIP lookups are not cached: a rotated stream key must stop working at once.
 */
public final class CachedChannelDirectory implements ChannelDirectory {
    /** Beyond this many slugs the cache starts over rather than grow (an enumeration of slugs must not fill memory). */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<PublishTarget> target, long expiresAtMillis) {
    }

    private final ChannelDirectory delegate;
    private final Clock clock;
    private final long ttlMillis;
    private final ConcurrentHashMap<String, Entry> bySlug = new ConcurrentHashMap<>();

    public CachedChannelDirectory(ChannelDirectory delegate, Clock clock, Duration ttl) {
        this.delegate = delegate;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public Optional<PublishTarget> byStreamKey(String streamKey) {
        return delegate.byStreamKey(streamKey);
    }

    @Override
    public Optional<PublishTarget> bySlug(String slug) {
        long now = clock.millis();
        Entry e = bySlug.get(slug);
        if (e != null && now < e.expiresAtMillis()) return e.target();
        Optional<PublishTarget> target = delegate.bySlug(slug);
        if (bySlug.size() >= MAX_ENTRIES) bySlug.clear();
        bySlug.put(slug, new Entry(target, now + ttlMillis));
        return target;
    }

    int size() { return bySlug.size(); }
}
