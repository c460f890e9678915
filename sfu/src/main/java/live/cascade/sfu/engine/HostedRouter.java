package live.cascade.sfu.engine;

import java.util.concurrent.ScheduledFuture;
import live.cascade.sfu.routing.Router;

/**
 * A router hosted on a {@link MediaLane}, and its tick. Whoever hosts it closes it: that stops the tick and closes the
 * router (its viewers' consumers and sinks). Lane thread only.
 */
public final class HostedRouter implements AutoCloseable {
    private final MediaLane lane;
    private final Router router;
    private final ScheduledFuture<?> tick;
    /** The pace timer, null when viewer estimation and pacing are off. */
    private final ScheduledFuture<?> pace;
    private boolean closed;

    HostedRouter(MediaLane lane, Router router, ScheduledFuture<?> tick, ScheduledFuture<?> pace) {
        this.lane = lane;
        this.router = router;
        this.tick = tick;
        this.pace = pace;
    }

    public Router router() { return router; }

    public MediaLane lane() { return lane; }

    /** Stops the tick and closes the router. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        tick.cancel(false);
        if (pace != null) pace.cancel(false);
        router.close();
    }
}
