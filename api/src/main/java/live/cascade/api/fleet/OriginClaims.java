package live.cascade.api.fleet;

import live.cascade.api.cluster.ChannelPlacement;
import live.cascade.api.cluster.ChannelPlacement.Claim;
import live.cascade.api.cluster.ChannelPlacement.Refresh;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * Makes this node the origin of the channels it broadcasts: claims a channel when its publisher goes live, refreshes
 * every claim every {@link ChannelPlacement#REFRESH}, releases it when the broadcast ends. A broadcast whose channel
 * another node holds (it claimed first, or took over while this node was cut off and its claim lapsed) is fenced and
 * ended here, so one channel never has two origins for long; the publisher's client retries and is placed again. While
 * placement cannot be reached nothing is ended: the claim is made or renewed when it is back.
 *
 * <p>Broadcast events arrive on media worker threads and never wait here: all placement calls run on one thread of
 * this class's own, in order.
 */
public final class OriginClaims implements BroadcastListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OriginClaims.class);
    /** A claim wanted but not granted yet (placement was unreachable). */
    private static final long PENDING = 0;

    private final ChannelPlacement placement;
    private final String nodeId;
    private final LongPredicate endBroadcast;
    private final Runnable announce;
    private final ScheduledExecutorService worker;
    /** Channel id → token of this node's claim, or {@link #PENDING}; written on the worker only. */
    private final Map<Long, Long> held = new ConcurrentHashMap<>();
    /** The channels this node broadcasts as origin (or tries to), by id. */
    private final Map<Long, ChannelRef> channels = new ConcurrentHashMap<>();

    /**
     * @param endBroadcast ends the channel's broadcast on this node (true when there was one)
     * @param announce     puts this node in the registry now (its heartbeat, out of turn); runs before every claim
     */
    public OriginClaims(ChannelPlacement placement, String nodeId, LongPredicate endBroadcast, Runnable announce) {
        this.placement = placement;
        this.nodeId = nodeId;
        this.endBroadcast = endBroadcast;
        this.announce = announce;
        this.worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("origin-claims").factory());
        worker.scheduleWithFixedDelay(this::refreshAll, ChannelPlacement.REFRESH.toMillis(), ChannelPlacement.REFRESH.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void onLive(ChannelRef channel) {
        channels.put(channel.id(), channel);
        run(() -> claim(channel.id()));
    }

    @Override
    public void onEnded(ChannelRef channel) {
        channels.remove(channel.id());
        run(() -> {
            Long token = held.remove(channel.id());
            if (token != null && token != PENDING) placement.release(channel.id(), nodeId, token);
        });
    }

    /** The channels this node holds as origin now. */
    public java.util.List<ChannelRef> origins() {
        return channels.values().stream().filter(c -> token(c.id()).isPresent()).toList();
    }

    /** The token of this node's claim on the channel, when it holds one. */
    public OptionalLong token(long channelId) {
        Long t = held.get(channelId);
        return t == null || t == PENDING ? OptionalLong.empty() : OptionalLong.of(t);
    }

    private void run(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException closing) {
            LOG.debug("origin claims closed; dropping a placement task");
        }
    }

    private void claim(long channelId) {
        // Other nodes take over a claim whose holder is not in the registry. After Redis restarted empty this node
        // re-claims at its next refresh, which may come before its next heartbeat: announce first, so for no moment
        // does a claim of a live node name a node the registry does not list.
        try {
            announce.run();
        } catch (RuntimeException e) {
            // A failed task would end the scheduled refreshes; the claim goes ahead (the next heartbeat announces).
            LOG.warn("channel {}: announcing this node before claiming failed: {}", channelId, e.toString());
        }
        switch (placement.claim(channelId, nodeId)) {
            case Claim.Granted g -> {
                Long before = held.put(channelId, g.token());
                if (before == null || before != g.token()) LOG.info("channel {}: this node is its origin (token {})", channelId, g.token());
            }
            case Claim.HeldElsewhere h -> fenced(channelId, "node " + h.holder().nodeId() + " holds it (token " + h.holder().token() + ")");
            case Claim.Unavailable u -> {
                held.putIfAbsent(channelId, PENDING);
                LOG.warn("channel {}: cannot claim it now ({}); the broadcast goes on and the claim is retried", channelId, u.reason());
            }
        }
    }

    private void refreshAll() {
        for (Map.Entry<Long, Long> e : Map.copyOf(held).entrySet()) {
            long channelId = e.getKey();
            long token = e.getValue();
            if (token == PENDING) {
                claim(channelId);
                continue;
            }
            switch (placement.refresh(channelId, nodeId, token)) {
                case Refresh.Kept k -> { }
                case Refresh.Lapsed l -> {
                    // Nobody took it (Redis restarted empty, or this node was slow): claim again, with a new token.
                    LOG.info("channel {}: the claim lapsed with nobody else holding it; claiming again", channelId);
                    held.put(channelId, PENDING);
                    claim(channelId);
                }
                case Refresh.Fenced f -> fenced(channelId, "node " + f.holder().nodeId() + " claimed it with token "
                        + f.holder().token() + " after this node's claim (token " + token + ") lapsed");
                case Refresh.Unavailable u -> { }
            }
        }
    }

    private void fenced(long channelId, String why) {
        held.remove(channelId);
        boolean ended = endBroadcast.test(channelId);
        LOG.warn("channel {}: not its origin: {}; {}", channelId, why, ended ? "ended the broadcast here" : "nothing to end here");
    }

    /** Lets the releases queued by the broadcasts' ends run (briefly), then stops. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(2, TimeUnit.SECONDS)) worker.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }
}
