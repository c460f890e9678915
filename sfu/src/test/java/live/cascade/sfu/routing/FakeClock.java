package live.cascade.sfu.routing;

/** A clock the test moves by hand; wall time advances with monotonic time from a fixed epoch. */
final class FakeClock implements MediaClock {
    static final long START_NANOS = 7_000_000_000L;
    static final long START_EPOCH_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    long nanos = START_NANOS;

    @Override public long nanoTime() { return nanos; }

    @Override public long epochMillis() { return START_EPOCH_MILLIS + (nanos - START_NANOS) / 1_000_000L; }

    void advanceMillis(long ms) { nanos += ms * 1_000_000L; }

    long epochNanos() { return START_EPOCH_MILLIS * 1_000_000L + (nanos - START_NANOS); }
}
