package live.cascade.api.fleet;

import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.media.relay.OriginRelays;
import live.cascade.api.media.relay.RelayFailure;
import live.cascade.api.media.relay.RelayHandle;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastState;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.signaling.session.SessionKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Placement's side of the relays: this node holds one reference on a channel's relay while it has viewers of that
 * channel, however many (the relay itself is one session on the origin). The first viewer's WHEP opens it; a check
 * every second gives the reference back once the channel has had no viewer here (connected or still setting up) for
 * {@link #IDLE_CHECKS} checks in a row (more than the moment between the relay opening and that first viewer's own
 * session starting, seconds on a loaded machine), and the relay's linger then closes it. A relay that closed by itself (the origin went away) is forgotten, and the next viewer opens
 * a new one from whatever node placement then names.
 */
public final class FleetRelays implements RelayOpener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetRelays.class);
    static final int IDLE_CHECKS = 5;

    private record Held(RelayHandle handle, int idle) {
    }

    private final OriginRelays relays;
    private final BroadcastService broadcasts;
    private final Map<Long, Held> held = new HashMap<>();
    private final ScheduledExecutorService checker;

    public FleetRelays(OriginRelays relays, BroadcastService broadcasts) {
        this.relays = relays;
        this.broadcasts = broadcasts;
        this.checker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("fleet-relays").factory());
        checker.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    /** Blocks for the origin's answer when a relay must be opened: called on a WHEP request's own (virtual) thread. */
    @Override
    public boolean open(ChannelRef channel, NodeInfo origin, String originWhepUrl) {
        synchronized (this) {
            Held h = held.get(channel.id());
            if (h != null && h.handle().open()) {
                held.put(channel.id(), new Held(h.handle(), 0));
                return true;
            }
        }
        switch (relays.acquire(channel, URI.create(originWhepUrl))) {
            case RelayHandle handle -> {
                RelayHandle extra = null;
                synchronized (this) {
                    Held h = held.get(channel.id());
                    if (h != null && h.handle().open()) extra = handle; // another viewer's request got there first
                    else held.put(channel.id(), new Held(handle, 0));
                }
                if (extra != null) relays.release(extra);
                return true;
            }
            case RelayFailure f -> {
                LOG.warn("channel {}: no relay from node {} ({}); redirecting the viewer there", channel.slug(), origin.id(), f.detail());
                return false;
            }
        }
    }

    /** Viewers on this node of each channel it relays, for the registry (the origin adds them to its count). */
    public Map<Long, Integer> viewers() {
        Map<Long, Integer> out = new HashMap<>();
        synchronized (this) {
            for (Long id : held.keySet()) out.put(id, 0);
        }
        for (BroadcastState s : broadcasts.states()) {
            if (out.containsKey(s.channel().id())) out.put(s.channel().id(), s.viewers());
        }
        return out;
    }

    private void check() {
        try {
            Map<Long, Integer> now = viewers();
            // A viewer whose session is still being set up (ICE, DTLS: seconds on a loaded machine) is not counted
            // among the viewers yet, but the relay is what it is waiting for: it keeps the relay too.
            now.replaceAll((id, n) -> n > 0 || broadcasts.sessions(id).stream().anyMatch(s -> s.kind() == SessionKind.VIEWER) ? 1 : 0);
            Map<Long, RelayHandle> release = new HashMap<>();
            synchronized (this) {
                for (Map.Entry<Long, Held> e : Map.copyOf(held).entrySet()) {
                    Held h = e.getValue();
                    if (!h.handle().open()) {
                        held.remove(e.getKey());
                        continue;
                    }
                    int idle = now.getOrDefault(e.getKey(), 0) > 0 ? 0 : h.idle() + 1;
                    if (idle >= IDLE_CHECKS) {
                        held.remove(e.getKey());
                        release.put(e.getKey(), h.handle());
                    } else {
                        held.put(e.getKey(), new Held(h.handle(), idle));
                    }
                }
            }
            release.forEach((id, handle) -> {
                LOG.info("channel {}: no viewer here any more; giving the relay back", handle.channel().slug());
                relays.release(handle);
            });
        } catch (RuntimeException e) {
            LOG.warn("relay check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
