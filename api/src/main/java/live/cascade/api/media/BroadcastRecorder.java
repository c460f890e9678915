package live.cascade.api.media;

import live.cascade.db.Database;
import live.cascade.db.StreamSession;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Records broadcasts in the database: stream sessions (start, end, peak), viewer sessions (for watch time) and the
 * live viewer count every API node reads. Events arrive on media worker threads, which must never wait on SQL, so
 * they are written in order on one thread of this recorder's own.
 */
public final class BroadcastRecorder implements BroadcastListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastRecorder.class);

    private final Database db;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("broadcast-recorder").factory());
    /** Channel id → its stream session id while live; touched only on the writer thread. */
    private final Map<Long, Long> liveSessions = new ConcurrentHashMap<>();
    /** The latest count per channel not yet written, so a burst of joins becomes one UPDATE. */
    private final Map<Long, Integer> pendingCounts = new ConcurrentHashMap<>();

    public BroadcastRecorder(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void onLive(ChannelRef channel) {
        Instant at = clock.instant(); // when it happened, not when the writer gets to it (it may be busy)
        write("start stream session", () -> {
            StreamSession s = db.streamSessions().start(channel.id(), at);
            liveSessions.put(channel.id(), s.id());
        });
    }

    @Override
    public void onEnded(ChannelRef channel) {
        Instant at = clock.instant();
        write("end stream session", () -> {
            Long id = liveSessions.remove(channel.id());
            if (id != null) db.streamSessions().end(id, at);
            db.viewerSessions().endOpen(channel.id(), at);
        });
    }

    @Override
    public void onViewerJoined(ChannelRef channel, String sessionId) {
        Instant at = clock.instant();
        write("start viewer session", () -> db.viewerSessions().start(channel.id(), liveSessions.get(channel.id()), sessionId, "whep", at));
    }

    @Override
    public void onViewerLeft(ChannelRef channel, String sessionId) {
        Instant at = clock.instant();
        write("end viewer session", () -> db.viewerSessions().end(sessionId, at));
    }

    @Override
    public void onViewerCount(ChannelRef channel, int viewers) {
        if (pendingCounts.put(channel.id(), viewers) != null) return; // a write is already queued; it takes the latest
        write("update viewer count", () -> {
            Integer latest = pendingCounts.remove(channel.id());
            Long id = liveSessions.get(channel.id());
            if (latest != null && id != null) db.streamSessions().updateViewers(id, latest);
        });
    }

    private void write(String what, Runnable r) {
        try {
            writer.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.error("could not {}: {}", what, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("node is stopping; not recorded: {}", what);
        }
    }

    /** Waits for queued writes (shutdown: broadcasts end first, then their records are written, then the DB closes). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) LOG.warn("broadcast records still queued at shutdown were dropped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
