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

/**
 * HLS viewers: a player counts as watching while it keeps fetching media playlists. It is known by the viewing session
 * of its playback token ({@code live.cascade.api.playback}), which the server chose and signed when it served the master
 * playlist, so one player is one viewer however many playlists it reloads, and a client cannot name a session of its
 * own. Fetching the master playlist alone counts nothing (anyone can mint sessions that way); and at most
 * {@code perAddress} sessions from one client address (IPv6: its /64) count per channel, so one machine polling with
 * many minted tokens adds at most that many. A viewer that fetched no media playlist for {@code idle} has left. Each
 * viewing is a {@code viewer_sessions} row with protocol {@code hls}, like a WHEP viewer's, and the live count goes into
 * the channel's {@code viewerCount} through {@link ViewerCounts}.
 */
public final class HlsViewers implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Viewer(long channelId, String slug, String outputId, String sessionKey, String addressKey, long[] lastSeen) {
    }

    private final Database db;
    private final ViewerCounts counts;
    private final Clock clock;
    private final long idleNanos;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> perChannel = new ConcurrentHashMap<>();
    /** Counted viewers per channel and client address ({@code channelId|address}); entries go when they reach 0. */
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final int addressCap;
    // Viewer-session rows go into the node's write queue (in order with the broadcasts' own records, retried through a
    // database outage); requests never wait for SQL to count a viewer.
    private final DatabaseWriteQueue writes;

    public HlsViewers(Database db, DatabaseWriteQueue writes, ViewerCounts counts, Clock clock, Duration idle, int perAddress) {
        this.db = db;
        this.writes = writes;
        this.addressCap = perAddress;
        this.counts = counts;
        this.clock = clock;
        this.idleNanos = idle.toNanos();
    }

    private static String newRowKey() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "hls_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** True while the viewing session {@code session} is counted as watching {@code out}. */
    public boolean active(LiveOutput out, String session) {
        return viewers.containsKey(out.id() + ":" + session);
    }

    /**
     * The player of viewing session {@code session}, at client address {@code addressKey}, fetched a media playlist of
     * {@code out}: it is (still) watching. False when it is not counted: its address already has its share of counted
     * viewers of this channel, or the broadcast has ended.
     */
    public boolean seen(LiveOutput out, String session, String addressKey) {
        // A player reaching the end of a broadcast that just ended (its output lingers) is not a new viewer.
        if (!out.live()) return false;
        long now = System.nanoTime();
        String id = out.id() + ":" + session;
        Viewer v = viewers.get(id);
        if (v != null) {
            v.lastSeen()[0] = now;
            return true;
        }
        String perAddressKey = out.channelId() + "|" + addressKey;
        boolean[] admitted = {false};
        perAddress.compute(perAddressKey, (k, n) -> {
            int c = n == null ? 0 : n;
            if (c >= addressCap) return n;
            admitted[0] = true;
            return c + 1;
        });
        if (!admitted[0]) return false;
        Viewer fresh = new Viewer(out.channelId(), out.slug(), out.id(), newRowKey(), perAddressKey, new long[]{now});
        if (viewers.putIfAbsent(id, fresh) != null) {
            release(perAddressKey); // the same session's concurrent request won
            return true;
        }
        int n = perChannel.computeIfAbsent(out.channelId(), k -> new AtomicInteger()).incrementAndGet();
        counts.hls(new ChannelRef(out.channelId(), out.slug()), n);
        Instant at = clock.instant(); // when it happened, not when the writer gets to it
        writes.submit("start HLS viewer session", () -> {
            // Looked up when written: the broadcast's start, queued before, has been written by then.
            Long streamSession = db.streamSessions().findLive(out.channelId()).map(StreamSession::id).orElse(null);
            try {
                db.viewerSessions().start(out.channelId(), streamSession, fresh.sessionKey(), "hls", at);
            } catch (DuplicateException e) {
                // An attempt whose answer the outage swallowed had written it.
            }
        });
        return true;
    }

    private void release(String perAddressKey) {
        perAddress.computeIfPresent(perAddressKey, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Ends viewers idle too long, or whose broadcast's output is gone. Call every second or so. */
    public void sweep(java.util.function.Function<String, java.util.Optional<LiveOutput>> liveOutputs) {
        long now = System.nanoTime();
        viewers.forEach((id, v) -> {
            boolean current = liveOutputs.apply(v.slug()).filter(o -> o.id().equals(v.outputId()) && o.live()).isPresent();
            if (current && now - v.lastSeen()[0] < idleNanos) return;
            if (!viewers.remove(id, v)) return;
            release(v.addressKey());
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
