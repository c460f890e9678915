package live.cascade.api.media;

import live.cascade.whipwhep.ChannelDirectory;
import live.cascade.whipwhep.PublishTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Remembers WHEP's slug lookups. When a popular channel goes live, or is raided, thousands of viewers POST within
 * seconds; each lookup is two queries, which on a busy node were most of the CPU a WHEP POST cost, and on a node that
 * serves a join now and then (so the query path is never JIT-compiled) 10 to 100 ms of a viewer's join time.
 *
 * <p>A found channel is served from memory for {@code ttl}; after that the next POST is still answered from memory
 * while one lookup refreshes the entry in the background, so viewers of a channel that keeps being watched never wait
 * on the database, and a suspension reaches new viewers about {@code ttl} after it (current viewers are cut by the
 * force-end it comes with). An entry nobody asked for during {@code staleLimit}, and every unknown slug, is looked up
 * again before it is answered. WHIP lookups are not cached: a rotated stream key must stop working at once.
 */
public final class CachedChannelDirectory implements ChannelDirectory {
    /** Beyond this many slugs the cache starts over rather than grow (an enumeration of slugs must not fill memory). */
    static final int MAX_ENTRIES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(CachedChannelDirectory.class);

    private record Entry(Optional<PublishTarget> target, long fetchedAtMillis, AtomicBoolean refreshing) {
        Entry(Optional<PublishTarget> target, long fetchedAtMillis) {
            this(target, fetchedAtMillis, new AtomicBoolean());
        }
    }

    private final ChannelDirectory delegate;
    private final Clock clock;
    private final long ttlMillis;
    private final long staleLimitMillis;
    private final Executor refresher;
    private final ConcurrentHashMap<String, Entry> bySlug = new ConcurrentHashMap<>();

    /**
     * @param ttl        how long an answer is served without a look at the database
     * @param staleLimit how old a found channel may be and still be served while it is refreshed (at least ttl)
     * @param refresher  runs background refreshes (one at a time per slug)
     */
    public CachedChannelDirectory(ChannelDirectory delegate, Clock clock, Duration ttl, Duration staleLimit, Executor refresher) {
        if (staleLimit.compareTo(ttl) < 0) throw new IllegalArgumentException("staleLimit " + staleLimit + " is shorter than ttl " + ttl);
        this.delegate = delegate;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.staleLimitMillis = staleLimit.toMillis();
        this.refresher = refresher;
    }

    @Override
    public Optional<PublishTarget> byStreamKey(String streamKey) {
        return delegate.byStreamKey(streamKey);
    }

    @Override
    public Optional<PublishTarget> bySlug(String slug) {
        long now = clock.millis();
        Entry e = bySlug.get(slug);
        if (e != null) {
            long age = now - e.fetchedAtMillis();
            if (age < ttlMillis) return e.target();
            if (e.target().isPresent() && age < staleLimitMillis) {
                if (e.refreshing().compareAndSet(false, true)) {
                    try {
                        refresher.execute(() -> refresh(slug, e));
                    } catch (RejectedExecutionException stopping) {
                        return load(slug); // the node is shutting down: no background work, ask the database now
                    }
                }
                return e.target();
            }
        }
        return load(slug);
    }

    private Optional<PublishTarget> load(String slug) {
        Optional<PublishTarget> target = delegate.bySlug(slug);
        if (bySlug.size() >= MAX_ENTRIES) bySlug.clear();
        bySlug.put(slug, new Entry(target, clock.millis()));
        return target;
    }

    private void refresh(String slug, Entry stale) {
        try {
            load(slug);
        } catch (RuntimeException ex) {
            // Not retried in the background (a database that is down would be asked once per POST, and logged as
            // often): the stale answer is served until staleLimit, then a POST looks the channel up itself and
            // gets the database's error.
            LOG.warn("Refreshing WHEP channel '{}' failed; serving what was found {} ms ago until it is {} ms old", slug,
                    clock.millis() - stale.fetchedAtMillis(), staleLimitMillis, ex);
        }
    }

    int size() { return bySlug.size(); }
}
