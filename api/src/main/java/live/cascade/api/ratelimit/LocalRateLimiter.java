package live.cascade.api.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** In-process fixed-window counters; expired windows are dropped lazily and by a periodic {@link #sweep()}. */
public final class LocalRateLimiter implements RateLimiter {
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    public LocalRateLimiter(Clock clock) {
        this.clock = clock;
    }

    private record Window(long startMillis, long endMillis, int count) {
    }

    @Override
    public Decision acquire(String key, int limit, Duration window) {
        long now = clock.millis();
        Window w = windows.compute(key, (k, old) -> old == null || old.endMillis <= now
                ? new Window(now, now + window.toMillis(), 1)
                : new Window(old.startMillis, old.endMillis, old.count + 1));
        return w.count <= limit ? Decision.ALLOW : new Decision(false, Duration.ofMillis(w.endMillis - now));
    }

    @Override
    public Decision peek(String key, int limit, Duration window) {
        long now = clock.millis();
        Window w = windows.get(key);
        if (w == null || w.endMillis <= now || w.count < limit) return Decision.ALLOW;
        return new Decision(false, Duration.ofMillis(w.endMillis - now));
    }

    @Override
    public void reset(String key) {
        windows.remove(key);
    }

    /** Drops windows that have ended, so keys of one-off clients don't accumulate. */
    public void sweep() {
        long now = clock.millis();
        windows.values().removeIf(w -> w.endMillis <= now);
    }
}
