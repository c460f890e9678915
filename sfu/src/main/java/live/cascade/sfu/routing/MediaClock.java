package live.cascade.sfu.routing;

/** Where the router reads time; tests pass a controllable one. */
public interface MediaClock {
    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock milliseconds since 1970, as {@link System#currentTimeMillis()} (for RTCP NTP timestamps). */
    long epochMillis();

    MediaClock SYSTEM = new MediaClock() {
        @Override public long nanoTime() { return System.nanoTime(); }

        @Override public long epochMillis() { return System.currentTimeMillis(); }
    };
}
