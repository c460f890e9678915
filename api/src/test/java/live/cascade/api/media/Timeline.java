package live.cascade.api.media;

/** Prints how long each phase of a media test took, so slow phases on a loaded machine are easy to spot. */
final class Timeline {
    private final String name;
    private final long start = System.nanoTime();
    private long last = start;

    Timeline(String name) {
        this.name = name;
    }

    void mark(String phase) {
        long now = System.nanoTime();
        // One println per line: the node logs to the same stdout from other threads.
        System.out.println(String.format("[media] %s: %-50s +%5d ms (total %6d ms)", name, phase,
                (now - last) / 1_000_000, (now - start) / 1_000_000));
        last = now;
    }
}
