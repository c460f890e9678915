package live.cascade.api.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many long-lived things (chat sockets, connections) each client address holds open right now, with a cap. Keys
 * are {@link ClientAddress#limitKey} values; an address's entry goes away when its last one closes, so the map only
 * holds addresses with something open.
 */
public final class OpenPerAddress {
    private final int cap;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    public OpenPerAddress(int cap) {
        this.cap = cap;
    }

    public int cap() {
        return cap;
    }

    /** Counts one more for {@code key} and says true, or says false (counting nothing) when it already holds the cap. */
    public boolean tryOpen(String key) {
        boolean[] admitted = {false};
        open.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= cap) return n;
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    /** One of {@code key}'s closed. */
    public void closed(String key) {
        open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Whether {@code key} already holds the cap (nothing is counted). */
    public boolean full(String key) {
        return open.getOrDefault(key, 0) >= cap;
    }

    public int openFrom(String key) {
        return open.getOrDefault(key, 0);
    }
}
