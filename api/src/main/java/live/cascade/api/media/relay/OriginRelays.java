package live.cascade.api.media.relay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.ice.IceCredentials;
import live.cascade.sfu.params.IceParameters;
import live.cascade.signaling.negotiation.RelayOffer;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.signaling.session.Refusal;
import live.cascade.signaling.session.RelaySession;
import live.cascade.whipwhep.RelayGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's relays: at most one per channel, pulled from the origin's WHEP endpoint with a relay token, and shared
 * by reference count. {@link #acquire} opens the relay (or joins the one running) and returns once the channel's
 * broadcast exists here, so a WHEP viewer can be answered right after; {@link #release} gives a reference back, and
 * the relay closes {@code linger} after the last one. A relay that closes by itself (the origin dropped it or went
 * away) ends the channel's broadcast here at once, so this node's viewers reconnect, and is forgotten: the next
 * acquire opens a fresh one. Independent of how the origin is found: callers pass its WHEP URL.
 */
public final class OriginRelays implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OriginRelays.class);
    /** A relay whose origin stops answering ICE checks this long is closed (browsers' consent lapses after 30 s). */
    static final Duration ORIGIN_SILENCE = Duration.ofSeconds(5);

    private final BroadcastService broadcasts;
    private final RelayTokens tokens;
    private final String nodeId;
    private final Duration linger;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("relay-linger").factory());
    private final Map<Long, RelayEntry> entries = new HashMap<>();
    /** Channels whose publisher here is a relay: their broadcast events are not this node's to record. */
    private final Set<Long> relayed = ConcurrentHashMap.newKeySet();

    public OriginRelays(BroadcastService broadcasts, RelayTokens tokens, String nodeId, Duration linger) {
        this.broadcasts = broadcasts;
        this.tokens = tokens;
        this.nodeId = nodeId;
        this.linger = linger;
    }

    public String nodeId() { return nodeId; }

    /** True while {@code channelId}'s publisher on this node is a relay (its live/ended events belong to the origin). */
    public boolean relayed(long channelId) { return relayed.contains(channelId); }

    /** As {@link #acquire(ChannelRef, URI, List)} for a relay asked for by this node's own viewers. */
    public RelayResult acquire(ChannelRef channel, URI originWhepUrl) {
        return acquire(channel, originWhepUrl, List.of());
    }

    /**
     * A reference on {@code channel}'s relay from {@code originWhepUrl} ({@code .../api/whep/{slug}}), opening it if
     * none runs. {@code upstreamPath} is the relay path this node was asked with (when this node serves a relay
     * itself: a chain); this node is appended. Blocks for the origin's answer; call from a request thread.
     */
    public RelayResult acquire(ChannelRef channel, URI originWhepUrl, List<String> upstreamPath) {
        RelayEntry entry;
        boolean opener = false;
        synchronized (this) {
            entry = entries.get(channel.id());
            if (entry == null || entry.closing) {
                entry = new RelayEntry(channel, originWhepUrl);
                entries.put(channel.id(), entry);
                opener = true;
            }
            entry.refs++;
            if (entry.linger != null) {
                entry.linger.cancel(false);
                entry.linger = null;
            }
        }
        if (opener) {
            try {
                open(entry, upstreamPath);
            } catch (RuntimeException e) {
                fail(entry, 0, "opening the relay failed: " + e);
            }
        }
        RelayResult result = entry.opened.join();
        if (result instanceof RelayFailure) {
            synchronized (this) {
                entry.refs--;
                entries.remove(channel.id(), entry);
            }
            return result;
        }
        return new RelayHandle(entry);
    }

    /** Gives a reference back; the relay closes {@code linger} after the last. Idempotent per handle. */
    public void release(RelayHandle handle) {
        if (!handle.released.compareAndSet(false, true)) return;
        RelayEntry entry = handle.entry;
        synchronized (this) {
            entry.refs--;
            if (entry.refs > 0 || entry.closing) return;
            if (linger.isZero()) {
                entry.closing = true;
            } else {
                entry.linger = timer.schedule(() -> lingerOver(entry), linger.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
        }
        entry.session.close();
    }

    /** The channels with a relay here now and their reference counts. */
    public synchronized Map<String, Integer> references() {
        Map<String, Integer> out = new HashMap<>();
        for (RelayEntry e : entries.values()) out.put(e.channel.slug(), e.refs);
        return out;
    }

    private void lingerOver(RelayEntry entry) {
        synchronized (this) {
            if (entry.refs > 0 || entry.closing) return;
            entry.closing = true;
        }
        LOG.info("relay of channel {}: no viewer for {}, closing", entry.channel.slug(), linger);
        entry.session.close();
    }

    private void open(RelayEntry entry, List<String> upstreamPath) {
        ChannelRef channel = entry.channel;
        IceParameters localIce = IceCredentials.random();
        String offer = RelayOffer.write(localIce, broadcasts.certificateFingerprint());
        List<String> path = new ArrayList<>(upstreamPath);
        path.add(nodeId);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(entry.origin)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/sdp")
                    .header("Authorization", "Bearer " + tokens.issue(nodeId, channel.slug()))
                    .header(RelayGate.PATH_HEADER, String.join(",", path))
                    .POST(HttpRequest.BodyPublishers.ofString(offer)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            fail(entry, 0, "the origin " + entry.origin + " did not answer: " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(entry, 0, "interrupted while asking the origin " + entry.origin);
            return;
        }
        if (response.statusCode() != 201) {
            fail(entry, response.statusCode(), "the origin " + entry.origin + " answered " + response.statusCode() + ": " + response.body());
            return;
        }
        relayed.add(channel.id());
        RelaySession session;
        try {
            switch (broadcasts.publishRelay(channel, localIce, response.body(), ORIGIN_SILENCE)) {
                case RelaySession s -> session = s;
                case Refusal r -> {
                    relayed.remove(channel.id());
                    fail(entry, 0, "the origin's answer cannot carry a relay: " + r.detail());
                    return;
                }
            }
        } catch (RuntimeException e) {
            relayed.remove(channel.id());
            fail(entry, 0, "the relay's transport could not be opened: " + e);
            return;
        }
        entry.session = session;
        session.closed().whenComplete((reason, error) -> closed(entry, String.valueOf(reason)));
        LOG.info("relay of channel {} from {} open (path {})", channel.slug(), entry.origin, String.join(",", path));
        entry.opened.complete(null);
    }

    private void fail(RelayEntry entry, int status, String detail) {
        LOG.warn("relay of channel {} not opened: {}", entry.channel.slug(), detail);
        entry.opened.complete(new RelayFailure(status, detail));
    }

    /** The relay's transport closed (any reason): its broadcast here ends now, and the entry is forgotten. */
    private void closed(RelayEntry entry, String reason) {
        synchronized (this) {
            entry.closing = true;
            entries.remove(entry.channel.id(), entry);
        }
        LOG.info("relay of channel {} closed ({}); ending its broadcast here", entry.channel.slug(), reason);
        // Off the lane thread the close was reported on: stopping waits for the lane.
        Thread.ofVirtual().name("relay-end-" + entry.channel.slug()).start(() -> {
            try {
                broadcasts.stop(entry.channel.id());
            } finally {
                synchronized (this) {
                    if (!entries.containsKey(entry.channel.id())) relayed.remove(entry.channel.id());
                }
            }
        });
    }

    /** Closes every relay (their broadcasts end with the node). */
    @Override
    public void close() {
        List<RelayEntry> open;
        synchronized (this) {
            open = List.copyOf(entries.values());
            for (RelayEntry e : open) e.closing = true;
        }
        for (RelayEntry e : open) if (e.session != null) e.session.close();
        timer.shutdownNow();
    }
}
