package live.cascade.api.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node form: claims in this process's memory, lapsing by the given clock. With one node there is nobody to
 * fence, but the rules are the same as the Redis form's (tests of the rules run against this one with a fake clock),
 * takeover from a holder that {@link HolderLiveness} says is gone included.
 */
public final class LocalChannelPlacement implements ChannelPlacement {
    private record Entry(Holder holder, Instant expires) {
    }

    private final Clock clock;
    private final FencingCounter counter;
    private final Duration ttl;
    private final HolderLiveness liveness;
    private final Map<Long, Entry> claims = new ConcurrentHashMap<>();

    /** Claims change hands only when they lapse or are released. */
    public LocalChannelPlacement(Clock clock, FencingCounter counter, Duration ttl) {
        this(clock, counter, ttl, HolderLiveness.NEVER);
    }

    /** A claim whose holder {@code liveness} says is gone is taken over by the next claimant, with a newer token. */
    public LocalChannelPlacement(Clock clock, FencingCounter counter, Duration ttl, HolderLiveness liveness) {
        this.clock = clock;
        this.counter = counter;
        this.ttl = ttl;
        this.liveness = liveness;
    }

    @Override
    public Claim claim(long channelId, String nodeId) {
        Optional<Holder> current = holder(channelId);
        // Asked outside the lock: the answer may take a connection attempt.
        boolean holderGone = current.isPresent() && !current.get().nodeId().equals(nodeId) && liveness.gone(current.get().nodeId());
        synchronized (this) {
            Optional<Holder> now = holder(channelId);
            if (now.isPresent()) {
                Holder h = now.get();
                if (h.nodeId().equals(nodeId)) {
                    claims.put(channelId, new Entry(h, clock.instant().plus(ttl)));
                    return new Claim.Granted(h.token());
                }
                // Only the holder found gone is replaced, not one that claimed meanwhile.
                if (!holderGone || !now.equals(current)) return new Claim.HeldElsewhere(h);
            }
            long token = counter.next(channelId);
            claims.put(channelId, new Entry(new Holder(nodeId, token), clock.instant().plus(ttl)));
            return new Claim.Granted(token);
        }
    }

    @Override
    public synchronized Refresh refresh(long channelId, String nodeId, long token) {
        Optional<Holder> current = holder(channelId);
        if (current.isEmpty()) return new Refresh.Lapsed();
        Holder h = current.get();
        if (!h.equals(new Holder(nodeId, token))) return new Refresh.Fenced(h);
        claims.put(channelId, new Entry(h, clock.instant().plus(ttl)));
        return new Refresh.Kept();
    }

    @Override
    public synchronized void release(long channelId, String nodeId, long token) {
        claims.computeIfPresent(channelId, (k, e) -> e.holder().equals(new Holder(nodeId, token)) ? null : e);
    }

    @Override
    public Optional<Holder> holder(long channelId) {
        Entry e = claims.get(channelId);
        if (e == null || !clock.instant().isBefore(e.expires())) return Optional.empty();
        return Optional.of(e.holder());
    }

    @Override
    public void close() {
        claims.clear();
    }
}
