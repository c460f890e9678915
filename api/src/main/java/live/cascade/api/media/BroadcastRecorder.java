package live.cascade.api.media;

import live.cascade.api.durability.DatabaseWriteQueue;
import live.cascade.db.Database;
import live.cascade.db.DuplicateException;
import live.cascade.db.StreamSession;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records broadcasts in the database: stream sessions (start, end, peak), viewer sessions (for watch time) and the
 * live viewer count every API node reads. Events arrive on media worker threads, which must never wait on SQL, so
 * they go into the node's {@link DatabaseWriteQueue}: written in order on its thread, and retried until the database
 * is back if it is away (a blip at go-live must not leave the channel offline for the whole broadcast). Each write
 * resolves the channel's stream session id when it runs, after the start queued before it.
 */
public final class BroadcastRecorder implements BroadcastListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastRecorder.class);
    /** How often this node tells the database its broadcasts still run. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /**
     * A broadcast whose node has not refreshed it for this long is ended by whichever node sweeps next: several
     * missed heartbeats, with room for clock skew between nodes and a database that was briefly slow.
     */
    static final Duration STALE_AFTER = Duration.ofSeconds(45);

    private final Database db;
    private final DatabaseWriteQueue writes;
    private final Clock clock;
    /** A heartbeat is queued and has not run: during an outage, heartbeats do not pile up behind it. */
    private final AtomicBoolean heartbeatQueued = new AtomicBoolean();
    /** Channel id → its stream session id while live; touched only on the writer thread. */
    private final Map<Long, Long> liveSessions = new ConcurrentHashMap<>();
    /** The latest count per channel not yet written, so a burst of joins becomes one UPDATE. */
    private final Map<Long, Integer> pendingCounts = new ConcurrentHashMap<>();
    private ScheduledExecutorService heartbeat;

    public BroadcastRecorder(Database db, DatabaseWriteQueue writes, Clock clock) {
        this.db = db;
        this.writes = writes;
        this.clock = clock;
    }

    /**
     * Starts the periodic work of a node that shares its database: refresh this node's live broadcasts, and end
     * broadcasts whose node stopped refreshing them (it crashed), so the directory does not show them live forever.
     */
    public synchronized void startHeartbeat() {
        if (heartbeat != null) return;
        heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("broadcast-heartbeat").factory());
        heartbeat.scheduleAtFixedRate(() -> {
            if (!heartbeatQueued.compareAndSet(false, true)) return;
            if (!writes.submit("heartbeat", () -> {
                heartbeatQueued.set(false);
                heartbeatNow();
            })) heartbeatQueued.set(false);
        }, HEARTBEAT_INTERVAL.toMillis(), HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One heartbeat and sweep (on the writer thread; tests call it through {@link #heartbeatAndSweep()}). */
    private void heartbeatNow() {
        Instant now = clock.instant();
        List<Long> ours = List.copyOf(liveSessions.values());
        if (db.streamSessions().heartbeat(ours, now) < ours.size()) reclaim(now);
        for (StreamSession s : db.streamSessions().endStale(now.minus(STALE_AFTER))) {
            LOG.warn("ended broadcast {} of channel {}: its node stopped refreshing it at {} (crashed?)",
                    s.id(), s.channelId(), s.endedAt());
        }
    }

    /**
     * Another node ended a broadcast this node still carries: this node missed its heartbeats (cut off from the
     * database, or paused). The channel is live here, so it is recorded as live again, as a new broadcast.
     */
    private void reclaim(Instant now) {
        for (Map.Entry<Long, Long> e : liveSessions.entrySet()) {
            long channelId = e.getKey();
            // Still ours, or another node's publisher took the channel over.
            if (db.streamSessions().findLive(channelId).isPresent()) continue;
            StreamSession again = db.streamSessions().start(channelId, now);
            liveSessions.put(channelId, again.id());
            LOG.warn("broadcast {} of channel {} had been ended by another node (this node missed its heartbeats); "
                    + "recorded as live again as broadcast {}", e.getValue(), channelId, again.id());
        }
    }

    /** Runs one heartbeat and sweep now and waits for it (and every write queued before it). */
    void heartbeatAndSweep() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        write("heartbeat", () -> {
            heartbeatNow();
            done.complete(null);
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("heartbeat failed", e);
        }
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
            // Forgotten only once written: a failed attempt is retried and must still find the session.
            Long id = liveSessions.get(channel.id());
            if (id != null) db.streamSessions().end(id, at);
            db.viewerSessions().endOpen(channel.id(), at);
            liveSessions.remove(channel.id(), id);
        });
    }

    @Override
    public void onViewerJoined(ChannelRef channel, String sessionId) {
        Instant at = clock.instant();
        write("start viewer session", () -> {
            try {
                Long broadcast = liveSessions.get(channel.id());
                // A channel this node relays from another node's origin: its broadcast is the origin's record, so
                // the watch time of this node's viewers adds up with the origin's (issue 21).
                if (broadcast == null) broadcast = db.streamSessions().findLive(channel.id()).map(StreamSession::id).orElse(null);
                db.viewerSessions().start(channel.id(), broadcast, sessionId, "whep", at);
            } catch (DuplicateException e) {
                // An attempt whose answer the outage swallowed had written it.
            }
        });
    }

    @Override
    public void onViewerLeft(ChannelRef channel, String sessionId) {
        Instant at = clock.instant();
        write("end viewer session", () -> db.viewerSessions().end(sessionId, at));
    }

    @Override
    public void onViewerCount(ChannelRef channel, int viewers) {
        if (pendingCounts.put(channel.id(), viewers) != null) return; // a write is already queued; it takes the latest
        write("update viewer count", new Runnable() {
            /** Taken once: an attempt the database missed is retried with the same figure (a newer one queues anew). */
            private Integer latest;

            @Override
            public void run() {
                if (latest == null) latest = pendingCounts.remove(channel.id());
                Long id = liveSessions.get(channel.id());
                if (latest != null && id != null) db.streamSessions().updateViewers(id, latest);
            }
        });
    }

    private void write(String what, Runnable r) {
        writes.submit(what, r);
    }

    /**
     * Stops the heartbeat. The writes already queued stay in the node's write queue, which is closed (and drained)
     * after the broadcasts have ended and before the database closes.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (heartbeat != null) heartbeat.shutdownNow();
        }
    }
}
