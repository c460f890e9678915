package live.cascade.api.hls;

import live.cascade.api.durability.DatabaseWriteQueue;
import live.cascade.db.Database;
import live.cascade.db.DuplicateException;
import live.cascade.db.StreamSession;
import live.cascade.hls.LiveOutput;
import live.cascade.signaling.session.ChannelRef;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * HLS viewers: a player counts as watching while it keeps fetching playlists. It is known by a token it gets with
 * the master playlist (in the variant URIs, and as a cookie for same-site players), so one player is one viewer however
 * many playlists it reloads; a player without one is known by its address and user agent. A viewer that fetched no
 * playlist for {@code idle} has left. Each viewing is a {@code viewer_sessions} row with protocol {@code hls}, like a
 * WHEP viewer's, and the live count goes into the channel's {@code viewerCount} through {@link ViewerCounts}.
 */
public final class HlsViewers implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Viewer(long channelId, String slug, String outputId, String sessionKey, long[] lastSeen) {
    }

    private final Database db;
    private final ViewerCounts counts;
    private final Clock clock;
    private final long idleNanos;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> perChannel = new ConcurrentHashMap<>();
    // Viewer-session rows go into the node's write queue (in order with the broadcasts' own records, retried through a
    // database outage); requests never wait for SQL to count a viewer.
    private final DatabaseWriteQueue writes;

    public HlsViewers(Database db, DatabaseWriteQueue writes, ViewerCounts counts, Clock clock, Duration idle) {
        this.db = db;
        this.writes = writes;
        this.counts = counts;
        this.clock = clock;
        this.idleNanos = idle.toNanos();
    }

    /** A fresh token for a new player. */
    public static String newToken() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static boolean validToken(String t) { return t != null && TOKEN.matcher(t).matches(); }

    /** The player known by {@code key} fetched a playlist of {@code out}: it is (still) watching. */
    public void seen(LiveOutput out, String key) {
        // A player reaching the end of a broadcast that just ended (its output lingers) is not a new viewer.
        if (!out.live()) return;
        long now = System.nanoTime();
        String id = out.id() + ":" + key;
        Viewer v = viewers.get(id);
        if (v != null) {
            v.lastSeen()[0] = now;
            return;
        }
        Viewer fresh = new Viewer(out.channelId(), out.slug(), out.id(), "hls_" + newToken(), new long[]{now});
        if (viewers.putIfAbsent(id, fresh) != null) return;
        int n = perChannel.computeIfAbsent(out.channelId(), k -> new AtomicInteger()).incrementAndGet();
        counts.hls(new ChannelRef(out.channelId(), out.slug()), n);
        Instant at = clock.instant(); // when it happened, not when the writer gets to it
        writes.submit("start HLS viewer session", () -> {
            // Looked up when written: the broadcast's start, queued before, has been written by then.
            Long session = db.streamSessions().findLive(out.channelId()).map(StreamSession::id).orElse(null);
            try {
                db.viewerSessions().start(out.channelId(), session, fresh.sessionKey(), "hls", at);
            } catch (DuplicateException e) {
                // An attempt whose answer the outage swallowed had written it.
            }
        });
    }

    /** Ends viewers idle too long, or whose broadcast's output is gone. Call every second or so. */
    public void sweep(java.util.function.Function<String, java.util.Optional<LiveOutput>> liveOutputs) {
        long now = System.nanoTime();
        viewers.forEach((id, v) -> {
            boolean current = liveOutputs.apply(v.slug()).filter(o -> o.id().equals(v.outputId()) && o.live()).isPresent();
            if (current && now - v.lastSeen()[0] < idleNanos) return;
            if (!viewers.remove(id, v)) return;
            AtomicInteger c = perChannel.get(v.channelId());
            int n = c == null ? 0 : Math.max(0, c.decrementAndGet());
            if (current) counts.hls(new ChannelRef(v.channelId(), v.slug()), n);
            Instant at = clock.instant();
            writes.submit("end HLS viewer session", () -> db.viewerSessions().end(v.sessionKey(), at));
        });
    }

    /** HLS viewers watching a channel right now. */
    public int count(long channelId) {
        AtomicInteger c = perChannel.get(channelId);
        return c == null ? 0 : c.get();
    }

    public int total() { return viewers.size(); }

    @Override
    public void close() {
        // Viewers still counted are ended by the broadcasts' end (all open sessions of an ended broadcast end); the
        // rows already queued are written by the node's write queue, which closes after this.
    }
}
